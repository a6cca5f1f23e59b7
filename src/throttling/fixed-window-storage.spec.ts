import { FixedWindowThrottlerStorage } from './fixed-window-storage';

describe('FixedWindowThrottlerStorage', () => {
  afterEach(() => jest.useRealTimers());

  it('counts hits per key and window, blocks past the limit for the block duration, then starts a new window', async () => {
    jest.useFakeTimers({ now: 0 });
    const storage = new FixedWindowThrottlerStorage();
    const hit = (key = 'a') => storage.increment(key, 10_000, 3, 20_000, 'default');
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
    await hit();
    expect((await hit()).isBlocked).toBe(false);
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 20 });
    expect((await hit('b')).totalHits).toBe(1);

    jest.setSystemTime(15_000); // the window is over but the block is not
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 5 });
    jest.setSystemTime(20_001);
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
    storage.onApplicationShutdown();
  });
});
