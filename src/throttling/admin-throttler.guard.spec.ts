import { Controller, ExecutionContext, Get, INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { SkipThrottle, Throttle, ThrottlerModule } from '@nestjs/throttler';
import request from 'supertest';
import { AdminThrottlerGuard } from './admin-throttler.guard';
import { FixedWindowThrottlerStorage } from './fixed-window-storage';

@Controller()
class RoutesController {
  @Get('plain')
  plain() {
    return {};
  }

  @Get('strict')
  @Throttle({ default: { limit: 1, ttl: 60_000 } })
  strict() {
    return {};
  }

  @Get('by-function')
  @Throttle({ default: { limit: (context: ExecutionContext) => (context.switchToHttp().getRequest().headers['x-limit'] === 'two' ? 2 : 3), ttl: 60_000 } })
  byFunction() {
    return {};
  }

  @Get('skipped')
  @SkipThrottle()
  skipped() {
    return {};
  }
}

/** The guard changes only the library's extension points; these pin that its decorators and options still apply. */
describe('AdminThrottlerGuard', () => {
  let app: INestApplication;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 4 }], storage: new FixedWindowThrottlerStorage() })],
      controllers: [RoutesController],
      providers: [{ provide: APP_GUARD, useClass: AdminThrottlerGuard }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterEach(() => app.close());

  const statuses = async (path: string, times: number, header?: string) => {
    const seen: number[] = [];
    for (let i = 0; i < times; i++)
      seen.push(
        (
          await request(app.getHttpServer())
            .get(path)
            .set('x-limit', header ?? '')
        ).status,
      );
    return seen;
  };

  it('limits by the module options and sends RateLimit-* headers', async () => {
    const first = await request(app.getHttpServer()).get('/plain');
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '4', 'ratelimit-remaining': '3' });
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(await statuses('/plain', 4)).toEqual([200, 200, 200, 429]);
  });

  it("uses a route's @Throttle limit", async () => {
    expect(await statuses('/strict', 2)).toEqual([200, 429]);
  });

  it('resolves a limit given as a function on every request', async () => {
    expect(await statuses('/by-function', 3, 'two')).toEqual([200, 200, 429]);
  });

  it('skips @SkipThrottle routes without headers', async () => {
    expect(await statuses('/skipped', 6)).toEqual(Array(6).fill(200));
    expect((await request(app.getHttpServer()).get('/skipped')).headers['ratelimit-limit']).toBeUndefined();
  });
});
