import { existsSync } from 'node:fs';
import { startAppProcess, stopAppProcess, waitForReady } from './support/app-process';

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
});
