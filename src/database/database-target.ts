import { validateEnvironment } from '../config/environment';
import { EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseTarget {
  url: string;
  embedded?: EmbeddedPostgres;
  stop(): Promise<void>;
}

/**
 * The configured database, as the app uses it: DATABASE_URL, or the embedded server in EMBEDDED_DB_DIR
 * (the one the app is running, if it is; otherwise started for the caller, who stops it).
 */
export async function openConfiguredDatabase(onLog?: (line: string) => void): Promise<DatabaseTarget> {
  const environment = validateEnvironment(process.env);
  if (environment.DATABASE_URL) return { url: environment.DATABASE_URL, stop: () => Promise.resolve() };
  const embedded = new EmbeddedPostgres({ dataDir: environment.EMBEDDED_DB_DIR, onLog });
  const running = embedded.runningServerUrl();
  if (running) return { url: running, stop: () => Promise.resolve() };
  const url = await embedded.start();
  return { url, embedded, stop: () => embedded.stop() };
}
