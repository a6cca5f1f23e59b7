import { spawn } from 'node:child_process';
import { join } from 'node:path';

const EMBEDDED_POSTGRES = join(__dirname, '..', '..', 'dist', 'database', 'embedded-postgres.js');

export interface PostgresProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL that a test owns, run from a child Node process: the embedded-postgres
 * package is ESM, which Jest's module registry cannot load (Node's own require can).
 */
export function startPostgresProcess(dataDir: string, port?: number): Promise<PostgresProcess> {
  const script = `
    const { EmbeddedPostgres } = require(${JSON.stringify(EMBEDDED_POSTGRES)});
    const postgres = new EmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port ?? 'undefined'} });
    postgres.start().then((url) => console.log('URL ' + url), (error) => { console.error(error.message); process.exit(1); });
    process.on('SIGTERM', () => postgres.stop().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /URL (\S+)/.exec(output);
      if (match) resolve({ url: match[1], stop: () => (child.kill('SIGTERM'), exited) });
    });
    child.on('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}): ${output}`)));
  });
}
