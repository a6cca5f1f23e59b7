import { loadDotEnv } from '../config/dot-env';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { validateEnvironment } from '../config/environment';

// .env first, as npm start reads it: the CLIs work on the same configuration.
loadDotEnv();

/**
 * npm run db:url: the URL of the configured database, for psql and other tools: DATABASE_URL, or
 * the embedded server while it runs (its port changes per start; the password is kept in the data
 * directory, file customer-admin.password).
 */
function main(): void {
  const environment = validateEnvironment(process.env);
  if (environment.DATABASE_URL) {
    console.log(environment.DATABASE_URL);
    return;
  }
  const url = new EmbeddedPostgres({ dataDir: environment.EMBEDDED_DB_DIR }).runningServerUrl();
  if (!url) {
    console.error(`The embedded PostgreSQL in ${environment.EMBEDDED_DB_DIR} is not running: start the service (npm start), then run this again.`);
    process.exit(1);
  }
  console.log(url);
}

main();
