import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// A Redis database of this test's own (never 0, which other tests share), emptied before it runs.
const redisUrl = vi.hoisted(() => {
  const url = 'redis://127.0.0.1:6379/13';
  process.env.REDIS_URL = url;
  process.env.ADMIN_SECRET = 'redis-cache-admin';
  return url;
});

const { yoga } = await import('../src/app.js');
const { hit } = await import('../src/db/counters.js');

const redis = new Redis(redisUrl);
beforeAll(() => redis.flushdb());
afterAll(() => redis.quit());

const get = (query: string) => yoga.fetch(`http://api.test/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' } });
const sessionsQuery = (variant: number) => `{ event(slug: "ohchr-remedy-tech-2021") { title sessions { edges { node { id title } } } } } # reader ${variant}`;

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ count: 1_000 }) as AsyncIterable<string[]>) keys.push(...batch);
  return keys;
}

describe('the response cache in Redis', () => {
  it('writes no key without an expiry, however many distinct reads it caches', async () => {
    for (let variant = 0; variant < 300; variant += 1) expect((await get(sessionsQuery(variant))).status).toBe(200);
    await hit('redis-cache-test');
    const keys = await allKeys();
    // Answers, the sets filing them under each type and session, the rate counter.
    expect(keys.length).toBeGreaterThan(300);
    const ttls = await Promise.all(keys.map((key) => redis.pttl(key)));
    expect(keys.filter((_, index) => ttls[index]! <= 0)).toEqual([]);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(15 * 60_000);
  });

  it('still drops the answers holding what an admin write changed', async () => {
    const read = async () => (await (await get(sessionsQuery(0))).json()).data.event.title as string;
    const before = await read();
    const admin = { authorization: 'Bearer redis-cache-admin', 'content-type': 'application/json' };
    const { data } = await (await yoga.fetch('http://api.test/graphql', { method: 'POST', headers: admin, body: JSON.stringify({ query: '{ event(slug: "ohchr-remedy-tech-2021") { id } }' }) })).json();
    const renamed = await yoga.fetch('http://api.test/graphql', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ query: 'mutation ($input: UpdateEventInput!) { updateEvent(input: $input) { __typename } }', variables: { input: { id: data.event.id, title: `${before} (renamed)` } } }),
    });
    expect((await renamed.json()).data.updateEvent.__typename).toBe('EventPayload');
    expect(await read()).toBe(`${before} (renamed)`);
    const ttls = await Promise.all((await allKeys()).map((key) => redis.pttl(key)));
    expect(ttls.filter((ttl) => ttl <= 0)).toEqual([]);
  });
});
