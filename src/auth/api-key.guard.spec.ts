import type { ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ProblemException } from '../common/problem.exception';
import { AdminKey, hashSecret } from './admin-keys';
import type { AdminKeysService } from './admin-keys.service';
import { ApiKeyGuard, AuthenticatedRequest, Public } from './api-key.guard';

const keys: Record<string, AdminKey> = {
  'write-secret': { name: 'ops', scope: 'write', secretHash: hashSecret('write-secret') },
  'read-secret': { name: 'dashboard', scope: 'read', secretHash: hashSecret('read-secret') },
};
const adminKeys = { find: async (presented: string) => keys[presented] } as unknown as AdminKeysService;

class Routes {
  open() {}
  closed() {}
}
Public()(Routes.prototype, 'open', Object.getOwnPropertyDescriptor(Routes.prototype, 'open')!);

function contextFor(handler: keyof Routes, method: string, headers: Record<string, string> = {}) {
  const request = { method, headers, ip: '192.0.2.1' } as unknown as AuthenticatedRequest;
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

async function refusal(work: Promise<boolean>): Promise<ProblemException> {
  const error = await work.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProblemException);
  return error as ProblemException;
}

describe('ApiKeyGuard', () => {
  const newGuard = (failureLimit = 100) =>
    new ApiKeyGuard(new Reflector(), adminKeys, new ThrottlerStorageService(), new ConfigService({ AUTH_FAILURE_LIMIT: failureLimit, AUTH_FAILURE_WINDOW_SECONDS: 60 }));
  const guard = newGuard();

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

  it('answers 429 with Retry-After once an address has used up its failed attempts, even for a right key', async () => {
    const strict = newGuard(3);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': `guess-${attempt}` }).context))).getStatus()).toBe(401);
    }
    const blocked = await refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': 'guess-4' }).context));
    expect(blocked.getStatus()).toBe(429);
    expect(Number(blocked.headers['Retry-After'])).toBeGreaterThan(0);
    expect(blocked.headers['RateLimit-Remaining']).toBe('0');
    expect((await refusal(strict.canActivate(contextFor('closed', 'GET', { 'x-api-key': 'write-secret' }).context))).getStatus()).toBe(429);
  });
});
