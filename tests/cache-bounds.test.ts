import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/cache.js';
import { LongKeyCache } from '../src/long-key-cache.js';

// Caches holding what requests bring are bounded by bytes, not only by entries.
describe('caches bounded by bytes', () => {
  it('the in-memory response cache keeps at most 8 MB of answers\' JSON, and still files what it keeps', async () => {
    const answer = (fill: string) => ({ data: { text: fill.repeat(3_000_000) } });
    await responseCache.set('first', answer('a'), [{ typename: 'Event', id: '1' }], 60_000);
    await responseCache.set('second', answer('b'), [{ typename: 'Event', id: '2' }], 60_000);
    await responseCache.set('third', answer('c'), [{ typename: 'Event', id: '3' }], 60_000);
    expect(await responseCache.get('first')).toBeUndefined();
    expect(await responseCache.get('third')).toEqual(answer('c'));
    await responseCache.invalidate([{ typename: 'Event', id: '3' }]);
    expect(await responseCache.get('third')).toBeUndefined();
    expect(await responseCache.get('second')).toEqual(answer('b'));
    await responseCache.invalidate([{ typename: 'Event' }]);
    expect(await responseCache.get('second')).toBeUndefined();
  });

  it('LongKeyCache keeps at most maxBytes of keys and values', () => {
    const cache = new LongKeyCache<string>({ max: 100, bytes: (value) => value.length, maxBytes: 10_000 });
    for (let index = 0; index < 10; index += 1) cache.set(`key ${index}`, 'x'.repeat(2_000));
    expect(cache.get('key 0')).toBeUndefined();
    expect(cache.get('key 9')).toHaveLength(2_000);
  });
});
