import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess, startAppProcess, stopAppProcess, waitForReady } from './support/app-process';

/** EMBEDDED_DB_DIR=temp: a clean, seeded service for another team's e2e suite, gone without a trace on exit. */
describe('Throwaway instance (EMBEDDED_DB_DIR=temp)', () => {
  it('starts on a fresh temporary database, answers at once, and deletes the directory on SIGTERM', async () => {
    const started = Date.now();
    const app = startAppProcess({ EMBEDDED_DB_DIR: 'temp', ADMIN_API_KEYS: 'throwaway-key' });
    try {
      const baseUrl = await waitForReady(app);
      const startMs = Date.now() - started;
      const dataDir = /data in (\/\S+\/postgres) \(temporary/.exec(app.output())![1];
      expect(existsSync(`${dataDir}/PG_VERSION`)).toBe(true);

      const ready = await fetch(`${baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      const reference = await fetch(`${baseUrl}/admin/customers/550e8400-e29b-41d4-a716-446655440000`, { headers: { 'x-api-key': 'throwaway-key' } });
      expect((await reference.json()).company_name).toBe('Acme Financial');
      console.log(`throwaway instance: process start to ready in ${startMs} ms`);

      expect(await stopAppProcess(app)).toBe(0);
      expect(existsSync(dataDir)).toBe(false);
      expect(existsSync(dataDir.replace(/\/postgres$/, ''))).toBe(false);
    } finally {
      await stopAppProcess(app);
    }
  });

  it('SIGTERM to `npm start` (what a test harness sends its child) stops the service and the embedded PostgreSQL, and deletes the directory', async () => {
    // --ignore-scripts skips the prestart build (dist/ is built); `npm start` then runs the start script as users do.
    // --no-update-notifier: npm asks the registry for a newer npm otherwise; the tests talk only to this machine.
    const child = spawn('npm', ['start', '--ignore-scripts', '--no-update-notifier'], {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        EMBEDDED_DB_DIR: 'temp',
        ADMIN_API_KEYS: 'npm-start-key',
        PORT: '0',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const app: AppProcess = { child, output: () => output, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
    try {
      const baseUrl = await waitForReady(app, 40_000);
      const dataDir = /data in (\/\S+\/postgres) \(temporary/.exec(output)![1];
      const postmasterPid = Number((/^(\d+)/.exec(readFileSync(`${dataDir}/postmaster.pid`, 'utf8')) ?? [])[1]);
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);

      child.kill('SIGTERM');
      await app.exited;
      await expect(fetch(`${baseUrl}/health/live`)).rejects.toThrow();
      expect(existsSync(dataDir)).toBe(false);
      expect(() => process.kill(postmasterPid, 0)).toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
