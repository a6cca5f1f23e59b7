import { DEFAULT_WEBHOOK_RETRY_SCHEDULE, parseRetrySchedule, retryDelayMs } from './retry-schedule';

describe('webhook retry schedule', () => {
  const waits = parseRetrySchedule(DEFAULT_WEBHOOK_RETRY_SCHEDULE);

  it('runs from seconds to about a day in at most 15 attempts', () => {
    expect(waits[0]).toBe(5000);
    expect(waits.length + 1).toBeLessThanOrEqual(15);
    const total = waits.reduce((sum, wait) => sum + wait, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThan(26 * 3_600_000);
    expect([...waits].sort((a, b) => a - b)).toEqual(waits);
  });

  it('jitters each wait by at most 20 %', () => {
    expect(retryDelayMs(waits, 1, () => 0)).toBe(4000);
    expect(retryDelayMs(waits, 1, () => 1)).toBe(6000);
    expect(retryDelayMs(waits, 2, () => 0.5)).toBe(30000);
  });

  it('ends after the last wait', () => {
    expect(retryDelayMs(waits, waits.length, () => 0.5)).toBe(waits[waits.length - 1]);
    expect(retryDelayMs(waits, waits.length + 1)).toBeUndefined();
  });

  it('reads ms, s, m and h and names a bad item', () => {
    expect(parseRetrySchedule('100ms, 2s,1m,1h')).toEqual([100, 2000, 60000, 3600000]);
    expect(() => parseRetrySchedule('5s,soon')).toThrow('"soon" is not a duration');
    expect(() => parseRetrySchedule('8d')).toThrow('"8d"');
    expect(() => parseRetrySchedule('200h')).toThrow('longer than 7 days');
  });
});
