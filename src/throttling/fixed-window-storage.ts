import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** What a storage answers per hit (the library does not export the record type from its entry point). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * In-memory counts when there is no Redis: one counter per key and window, O(1) per request.
 * @nestjs/throttler's own memory store keeps a timestamp per hit and filters the list on every
 * request, so its cost grows with the limit (60,000 entries a request at 1,000 req/s for a minute;
 * measured in BENCHMARKS.md). Same contract: past `limit` hits in the window, the key is blocked
 * for `blockDuration`.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    // A window ends when both it and any block have run out (a block outlasts its window: blockDuration ≥ ttl here).
    if (!window || (window.expiresAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    }
    const seconds = (until: number) => Math.max(0, Math.ceil((until - now) / 1000));
    if (window.blockedUntil <= now) {
      window.hits++;
      if (window.hits > limit) window.blockedUntil = now + blockDuration;
    }
    const isBlocked = window.blockedUntil > now;
    return { totalHits: window.hits, timeToExpire: seconds(window.expiresAt), isBlocked, timeToBlockExpire: isBlocked ? seconds(window.blockedUntil) : 0 };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, window] of this.windows) if (window.expiresAt <= now && window.blockedUntil <= now) this.windows.delete(id);
  }
}
