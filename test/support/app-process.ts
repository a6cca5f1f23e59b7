import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** The key webhook secrets are encrypted with in tests (every test app and process of the suite shares it). */
export const TEST_WEBHOOK_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  baseUrl?: string;
  exited: Promise<number | null>;
}

/** A parent directory the "postgres" user can enter even when the suite runs as root. */
export function makeDataParent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'customer-admin-e2e-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** Runs the built service (`node dist/main.js`, what `npm start` runs) with only the given environment (and the suite's webhook secrets key unless it says otherwise). */
export function startAppProcess(env: Record<string, string>, cwd?: string): AppProcess {
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      PORT: '0',
      LOG_FORMAT: 'json',
      ENV_FILE: 'none',
      WEBHOOK_SECRETS_ENCRYPTION_KEYS: TEST_WEBHOOK_SECRETS_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForReady(app: AppProcess, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /ready in \d+ ms on (http:\/\/\S+) /.exec(app.output());
    if (match) return (app.baseUrl = match[1]);
    if (app.child.exitCode !== null) throw new Error(`the service exited (${app.child.exitCode}):\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the service was not ready in ${timeoutMs} ms:\n${app.output()}`);
}

export async function stopAppProcess(app: AppProcess): Promise<number | null> {
  if (app.child.exitCode === null) app.child.kill('SIGTERM');
  return app.exited;
}
