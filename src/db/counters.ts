import { LRUCache } from 'lru-cache';
import { Redis } from 'ioredis';
import { logger } from '../log.js';

// Fixed-window counters for rate limits: in Redis (REDIS_URL), shared by every API process, or in
// this process's memory. The decisions that use them: src/rules/rate-limits.ts, src/http/limits.ts.

const windowMs = 15 * 60_000;

/** Seconds until the current window ends and its counts start again. */
export function retryAfterSeconds(): number {
  return Math.ceil((windowMs - (Date.now() % windowMs)) / 1000);
}

/** Fixed-window counters: how many hits `key` has had in the current window, this one included. */
interface Counters {
  hit(key: string): Promise<number>;
}

function memoryCounters(): Counters {
  let window = -1;
  // Keyed by what clients send (addresses, emails): the oldest keys go first past this many.
  const counts = new LRUCache<string, number>({ max: 100_000 });
  return {
    async hit(key) {
      const current = Math.floor(Date.now() / windowMs);
      if (current !== window) {
        // Counts live for one window: a new window starts from nothing.
        counts.clear();
        window = current;
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count;
    },
  };
}

function redisCounters(url: string): Counters {
  // A limiter that can't count lets registrations through rather than holding them up.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  redis.on('error', (error) => logger.warn('rate limit counters unavailable', error));
  return {
    async hit(key) {
      const window = Math.floor(Date.now() / windowMs);
      const windowKey = `event-api:rate:${key}:${window}`;
      // A count lives as long as its window.
      const replies = await redis.multi().incr(windowKey).pexpireat(windowKey, (window + 1) * windowMs).exec();
      return Number(replies?.[0]?.[1] ?? 0);
    },
  };
}

let sharedCounters: Counters | undefined;

/**
 * One set of counters per process, made on first use: in the Redis of REDIS_RATE_LIMIT_URL, else
 * of REDIS_URL, else in memory. A Redis of their own (with `maxmemory-policy noeviction`) keeps
 * them when cached answers fill the cache's Redis: eviction is per instance, whatever the database.
 */
function counters(): Counters {
  const url = process.env.REDIS_RATE_LIMIT_URL || process.env.REDIS_URL;
  return (sharedCounters ??= url ? redisCounters(url) : memoryCounters());
}

/** Counts a hit on `key`; a limiter that can't count lets the hit through. */
export function hit(key: string): Promise<number> {
  return counters()
    .hit(key)
    .catch((error: unknown) => {
      logger.warn('rate limit not applied', error);
      return 0;
    });
}
