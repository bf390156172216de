import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { Redis } from 'ioredis';

/**
 * Cached public responses: in this process's memory, or in Redis when REDIS_URL is set, so that
 * every API process shares them and an invalidation reaches all of them.
 */
export const responseCache: Cache = process.env.REDIS_URL
  ? (createRedisCache({ redis: new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 3 }) }) as Cache)
  : createInMemoryCache({ max: 1_000 });
