/**
 * The wait before each retry of a failing delivery, from seconds up to hours: 13 attempts over about
 * 22 hours (before jitter). After the last one the delivery is given up (status failed).
 */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,30s,2m,5m,10m,30m,1h,2h,3h,4h,5h,6h';
/** Each wait is scaled by a random factor in [1 - JITTER, 1 + JITTER], so receivers that come back are not hit by every sender at once. */
export const WEBHOOK_RETRY_JITTER = 0.2;
export const WEBHOOK_MAX_RETRIES = 30;

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+)(ms|s|m|h)$/;

/** `5s,30s,2m` → waits in milliseconds; throws a message naming the bad item. */
export function parseRetrySchedule(text: string): number[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.length > WEBHOOK_MAX_RETRIES) throw new Error(`at most ${WEBHOOK_MAX_RETRIES} waits`);
  return items.map((item) => {
    const match = DURATION.exec(item);
    if (!match) throw new Error(`"${item}" is not a duration such as 500ms, 5s, 2m or 1h`);
    const ms = Number(match[1]) * UNITS_MS[match[2]];
    if (ms > 7 * 24 * 3_600_000) throw new Error(`"${item}" is longer than 7 days`);
    return ms;
  });
}

/** How to describe a schedule in documents: `5s, 30s, 2m, …`. */
export function describeRetrySchedule(schedule: string = DEFAULT_WEBHOOK_RETRY_SCHEDULE): string {
  return schedule
    .split(',')
    .map((item) => item.trim())
    .join(', ');
}

/** The wait after failed attempt number `attempts` (1-based), jittered; undefined when the schedule is exhausted. */
export function retryDelayMs(waits: readonly number[], attempts: number, random: () => number = Math.random): number | undefined {
  const wait = waits[attempts - 1];
  if (wait === undefined) return undefined;
  return Math.round(wait * (1 - WEBHOOK_RETRY_JITTER + 2 * WEBHOOK_RETRY_JITTER * random()));
}
