import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 3 }) : undefined;
/** The cache's own key space in Redis, apart from the rate-limit counters (`event-api:rate:`). */
const prefix = 'event-api:cache:';
const generationKey = `${prefix}generation`;
/**
 * The generation is only compared with answers kept a second (src/http/public-answers.ts), so
 * after a day without invalidations it may be forgotten and start again from 0.
 */
const generationTtlMs = 24 * 3_600_000;
let localGeneration = 0;

/**
 * Rises with every invalidation, in whichever process made it: an answer kept aside under an
 * older generation (src/http/public-answers.ts) may be out of date.
 */
export async function cacheGeneration(): Promise<number> {
  return redis ? Number((await redis.get(generationKey)) ?? 0) : localGeneration;
}

/** What an answer holds and an invalidation names: a type (every answer holding one of its kind) or one object. */
type CacheEntityRecord = { typename: string; id?: number | string | null };

const entityName = ({ typename, id }: CacheEntityRecord) => (id === undefined || id === null ? typename : `${typename}:${id}`);

/** Each answer is filed under its types and under each object it holds. */
function entityNames(entities: Iterable<CacheEntityRecord>): Set<string> {
  const names = new Set<string>();
  for (const entity of entities) names.add(entity.typename).add(entityName(entity));
  return names;
}

/** The response cache sets a finite ttl; an infinite one is kept an hour rather than for ever. */
const ttlMs = (ttl: number) => (Number.isFinite(ttl) ? Math.max(1, Math.ceil(ttl)) : 3_600_000);

/**
 * In Redis, every key expires no later than what it describes: an answer after its ttl, and the
 * sorted set of answers filed under an entity (scored by their expiry, expired members dropped on
 * each write) with the last of them. @envelop/response-cache-redis left its sets without expiry,
 * so distinct reads piled up keys for good.
 */
function redisStore(redis: Redis): Cache {
  const answerKey = (id: string) => `${prefix}answer:${id}`;
  const entityKey = (name: string) => `${prefix}entity:${name}`;
  return {
    async get(id) {
      const text = await redis.get(answerKey(id));
      return text ? (JSON.parse(text) as ExecutionResult) : undefined;
    },
    async set(id, result, entities, ttl) {
      const ms = ttlMs(ttl);
      const now = Date.now();
      const write = redis.multi().set(answerKey(id), JSON.stringify(result), 'PX', ms);
      for (const name of entityNames(entities)) {
        const key = entityKey(name);
        // NX gives a new set its expiry; GT only ever lengthens it, as answers of shorter ttls join.
        write.zadd(key, now + ms, id).zremrangebyscore(key, '-inf', now).pexpire(key, ms, 'NX').pexpire(key, ms, 'GT');
      }
      await write.exec();
    },
    async invalidate(entities) {
      const keys = [...new Set([...entities].map(entityName))].map(entityKey);
      if (keys.length === 0) return;
      const filed = await Promise.all(keys.map((key) => redis.zrange(key, 0, -1)));
      await redis.del(...keys, ...new Set(filed.flat().map(answerKey)));
    },
  };
}

/**
 * In this process: at most 1,000 answers and 8 MB of their JSON, whichever comes first. The
 * answers' objects, and the JSON and compressed forms kept beside them (src/http/cache.ts), take
 * a few times their JSON in memory.
 */
function memoryStore(): Cache {
  const filed = new Map<string, Set<string>>();
  const answers = new LRUCache<string, { result: ExecutionResult; names: Set<string> }>({
    max: 1_000,
    maxSize: 8_000_000,
    sizeCalculation: ({ result }) => Math.max(1, JSON.stringify(result).length),
    dispose: ({ names }, id) => {
      for (const name of names) {
        const ids = filed.get(name);
        ids?.delete(id);
        if (ids?.size === 0) filed.delete(name);
      }
    },
  });
  return {
    get: (id) => answers.get(id)?.result,
    set(id, result, entities, ttl) {
      const names = entityNames(entities);
      answers.set(id, { result, names }, { ttl: ttlMs(ttl) });
      // An answer too large to keep is not kept, nor filed.
      if (!answers.has(id)) return;
      for (const name of names) {
        const ids = filed.get(name) ?? new Set<string>();
        filed.set(name, ids.add(id));
      }
    },
    invalidate(entities) {
      for (const entity of entities) for (const id of [...(filed.get(entityName(entity)) ?? [])]) answers.delete(id);
    },
  };
}

const store: Cache = redis ? redisStore(redis) : memoryStore();

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
    if (redis) await redis.multi().incr(generationKey).pexpire(generationKey, generationTtlMs).exec();
    else localGeneration += 1;
  },
};
