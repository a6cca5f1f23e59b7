import type { ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ProblemException } from '../http/problem.exception';
import { AdminKey, hashSecret } from './admin-keys';
import type { AdminKeysService } from './admin-keys.service';
import { ApiKeyGuard, AuthenticatedRequest, Public } from './api-key.guard';

const keys: Record<string, AdminKey> = {
  'write-secret': { name: 'ops', scope: 'write', secretHash: hashSecret('write-secret') },
  'read-secret': { name: 'dashboard', scope: 'read', secretHash: hashSecret('read-secret') },
  'expired-secret': {
    name: 'old',
    scope: 'write',
    secretHash: hashSecret('expired-secret'),
    stored: { keyId: 'k1', expiresAt: new Date('2026-01-01T00:00:00Z'), lastUsedAt: null },
  },
};
const used: string[] = [];
const lookups: string[] = [];
const adminKeys = {
  find: async (presented: string) => {
    lookups.push(presented);
    return keys[presented];
  },
  couldBeValid: async (presented: string) => presented in keys,
  expiredAt: (key: AdminKey) => (key.stored?.expiresAt && key.stored.expiresAt <= new Date() ? key.stored.expiresAt : undefined),
  noteUse: (key: AdminKey) => used.push(key.name),
} as unknown as AdminKeysService;

class Routes {
  open() {}
  closed() {}
}
Public()(Routes.prototype, 'open', Object.getOwnPropertyDescriptor(Routes.prototype, 'open')!);

function contextFor(handler: keyof Routes, method: string, headers: Record<string, string> = {}, ip = '192.0.2.1') {
  const request = { method, headers, ip } as unknown as AuthenticatedRequest;
  const context = {
    getHandler: () => Object.getOwnPropertyDescriptor(Routes.prototype, handler)!.value as unknown,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

async function refusal(work: Promise<boolean>): Promise<ProblemException> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProblemException);
  return error as ProblemException;
}

describe('ApiKeyGuard', () => {
  const newGuard = (failureLimit = 100) =>
    new ApiKeyGuard(
      new Reflector(),
      adminKeys,
      new ThrottlerStorageService(),
      new ConfigService({ AUTH_FAILURE_LIMIT: failureLimit, AUTH_FAILURE_WINDOW_SECONDS: 60 }),
    );
  const guard = newGuard();

  it('refuses an expired key with a 401 saying when it expired, and records no use of it', async () => {
    used.length = 0;
    const problem = await refusal(guard.canActivate(contextFor('closed', 'GET', { 'x-api-key': 'expired-secret' }).context));
    expect(problem.getStatus()).toBe(401);
    expect(problem.message).toContain('expired at 2026-01-01T00:00:00.000Z');
    expect(used).toEqual([]);
    await guard.canActivate(contextFor('closed', 'GET', { 'x-api-key': 'read-secret' }).context);
    expect(used).toEqual(['dashboard']);
  });

  it('lets a @Public() route through without a key', async () => {
    await expect(guard.canActivate(contextFor('open', 'GET').context)).resolves.toBe(true);
  });

  it('is 401 with WWW-Authenticate for a missing or unknown key, naming the header', async () => {
    for (const headers of [{}, { 'x-api-key': '' }, { 'x-api-key': 'nope' }] as Record<string, string>[]) {
      const problem = await refusal(guard.canActivate(contextFor('closed', 'GET', headers).context));
      expect(problem.getStatus()).toBe(401);
      expect(problem.headers['WWW-Authenticate']).toBe('ApiKey header="x-api-key"');
      expect(problem.errors[0].field).toBe('x-api-key');
    }
  });

  it('lets a read key GET, and refuses it a write with 403', async () => {
    const read = contextFor('closed', 'GET', { 'x-api-key': 'read-secret' });
    await expect(guard.canActivate(read.context)).resolves.toBe(true);
    expect(read.request.adminKey?.name).toBe('dashboard');
    for (const method of ['PUT', 'POST', 'DELETE', 'PATCH']) {
      const problem = await refusal(guard.canActivate(contextFor('closed', method, { 'x-api-key': 'read-secret' }).context));
      expect(problem.getStatus()).toBe(403);
    }
  });

  it('lets a write key write and records which key it was, never the secret', async () => {
    const write = contextFor('closed', 'PUT', { 'x-api-key': 'write-secret' });
    await expect(guard.canActivate(write.context)).resolves.toBe(true);
    expect(write.request.adminKey).toMatchObject({ name: 'ops', scope: 'write' });
    expect(JSON.stringify(write.request.adminKey)).not.toContain('write-secret');
  });

  it('answers 429 with Retry-After to missing and wrong keys once an address has used up its failed attempts', async () => {
    const strict = newGuard(3);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': `guess-${attempt}` }).context))).getStatus()).toBe(401);
    }
    for (const headers of [{ 'x-api-key': 'guess-4' }, {}] as Record<string, string>[]) {
      const blocked = await refusal(strict.canActivate(contextFor('closed', 'GET', headers).context));
      expect(blocked.getStatus()).toBe(429);
      expect(Number(blocked.headers['Retry-After'])).toBeGreaterThan(0);
      expect(blocked.headers['RateLimit-Remaining']).toBe('0');
    }
  });

  it('still serves a valid key from a blocked address, read or write', async () => {
    const strict = newGuard(2);
    for (let attempt = 1; attempt <= 5; attempt++) await refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': `guess-${attempt}` }).context));
    await expect(strict.canActivate(contextFor('closed', 'PUT', { 'x-api-key': 'write-secret' }).context)).resolves.toBe(true);
    await expect(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': 'read-secret' }).context)).resolves.toBe(true);
    expect((await refusal(strict.canActivate(contextFor('closed', 'PUT', { 'x-api-key': 'read-secret' }).context))).getStatus()).toBe(403);
  });

  it("looks up no key for a blocked address's wrong keys", async () => {
    const strict = newGuard(2);
    for (let attempt = 1; attempt <= 3; attempt++) await refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': `guess-${attempt}` }).context));
    lookups.length = 0;
    for (let attempt = 0; attempt < 100; attempt++) await refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': `flood-${attempt}` }).context));
    expect(lookups).toEqual([]);
  });

  it('counts per IPv4 address and per IPv6 /64: other clients are not affected', async () => {
    const strict = newGuard(2);
    const attempt = (ip: string) => refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': 'wrong' }, ip).context)).then((p) => p.getStatus());
    for (let i = 0; i < 3; i++) await attempt(`2001:db8:1:2::${i + 1}`);
    expect(await attempt('2001:db8:1:2:ffff::9')).toBe(429);
    expect(await attempt('2001:db8:1:3::1')).toBe(401);
    for (let i = 0; i < 3; i++) await attempt('198.51.100.1');
    expect(await attempt('198.51.100.1')).toBe(429);
    expect(await attempt('::ffff:198.51.100.1')).toBe(429);
    expect(await attempt('198.51.100.2')).toBe(401);
  });
});
