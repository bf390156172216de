import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { Redis } from 'ioredis';

const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 3 }) : undefined;
const generationKey = 'event-api:response-cache-generation';
let localGeneration = 0;

/**
 * Rises with every invalidation, in whichever process made it: an answer kept aside under an
 * older generation (src/http/public-answers.ts) may be out of date.
 */
export async function cacheGeneration(): Promise<number> {
  return redis ? Number((await redis.get(generationKey)) ?? 0) : localGeneration;
}

const store: Cache = redis ? (createRedisCache({ redis }) as Cache) : createInMemoryCache({ max: 1_000 });

/**
 * Cached public responses: in this process's memory, or in Redis when REDIS_URL is set, so that
 * every API process shares them and an invalidation reaches all of them.
 */
export const responseCache: Cache = {
  get: (key) => store.get(key),
  set: (key, result, entities, ttl) => store.set(key, result, entities, ttl),
  async invalidate(entities) {
    // Entries first, then the generation: a request that reads the new generation can only find
    // entries already cleared.
    await store.invalidate(entities);
    if (redis) await redis.incr(generationKey);
    else localGeneration += 1;
  },
};
