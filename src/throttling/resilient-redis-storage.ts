import { Logger } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import type { ThrottlerStorageRecord } from './fixed-window-storage';

/** Shared counters in Redis; if Redis fails, requests are let through (logged) rather than failed. */
export class ResilientRedisThrottlerStorage extends ThrottlerStorageRedisService {
  private readonly logger = new Logger('Throttling');

  constructor(redis: Redis) {
    super(redis);
  }

  override async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await super.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.logger.warn(`Redis unavailable, request not counted: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
