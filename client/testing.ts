import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

export interface StartCustomerAdminApiOptions {
  /** The service's checkout, built (`npm run build`); default: the CUSTOMER_ADMIN_API_DIR environment variable. */
  serviceDir?: string;
  /** More environment for the service (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /** How long to wait for readiness; default 30 s. */
  timeoutMs?: number;
}

export interface RunningCustomerAdminApi {
  /** e.g. http://localhost:41873 */
  url: string;
  /** A write key for x-api-key. */
  key: string;
  /** SIGTERM; resolves when the service and its throwaway database are gone. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway Customer Admin API for an e2e suite (Jest or Vitest global setup): an embedded
 * PostgreSQL in a temporary directory (seeded with the reference customer, deleted on stop), a free
 * port, and a fresh write key. Resolves once the service says it is ready.
 */
export function startCustomerAdminApi(options: StartCustomerAdminApiOptions = {}): Promise<RunningCustomerAdminApi> {
  const serviceDir = options.serviceDir ?? process.env.CUSTOMER_ADMIN_API_DIR;
  if (!serviceDir) throw new Error('startCustomerAdminApi needs serviceDir (or CUSTOMER_ADMIN_API_DIR): the built service checkout');
  const key = `e2e_${randomBytes(24).toString('base64url')}`;
  const child = spawn(process.execPath, [join(resolve(serviceDir), 'dist', 'main.js')], {
    cwd: resolve(serviceDir),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      EMBEDDED_DB_DIR: 'temp',
      PORT: '0',
      ADMIN_API_KEYS: `e2e:write:${key}`,
      LOG_FORMAT: 'json',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolveReady, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Customer Admin API was not ready in ${options.timeoutMs ?? 30_000} ms:\n${output.slice(-2000)}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready in \d+ ms on (http:\/\/\S+) /.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.stdout.resume();
      child.stderr.resume();
      resolveReady({ url: ready[1], key, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Customer Admin API exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    });
  });
}
