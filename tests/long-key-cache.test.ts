import { describe, expect, it } from 'vitest';
import { LongKeyCache } from '../src/long-key-cache.js';

describe('LongKeyCache', () => {
  const long = (middle: string) => `/graphql?query=${'x'.repeat(2_000)}${middle}${'y'.repeat(2_000)}`;

  it('finds a long key made afresh, and only the same key', () => {
    const cache = new LongKeyCache<{ n: number }>({ max: 10 });
    cache.set(long('a'), { n: 1 });
    expect(cache.get(`${long('a')}`.slice(0))).toEqual({ n: 1 });
    // Same length, start and end: the same fingerprint, yet another key.
    expect(cache.get(long('b'))).toBeUndefined();
  });

  it('keeps the newest of two keys that share a fingerprint, and short keys apart', () => {
    const cache = new LongKeyCache<{ n: number }>({ max: 10 });
    cache.set(long('a'), { n: 1 });
    cache.set(long('b'), { n: 2 });
    expect(cache.get(long('a'))).toBeUndefined();
    expect(cache.get(long('b'))).toEqual({ n: 2 });
    cache.set('short-a', { n: 3 });
    cache.set('short-b', { n: 4 });
    expect([cache.get('short-a'), cache.get('short-b')]).toEqual([{ n: 3 }, { n: 4 }]);
  });

  it('stays within its size', () => {
    const cache = new LongKeyCache<{ n: number }>({ max: 2 });
    for (const middle of ['a', 'bb', 'ccc']) cache.set(long(middle), { n: middle.length });
    expect([cache.get(long('a')), cache.get(long('bb')), cache.get(long('ccc'))]).toEqual([undefined, { n: 2 }, { n: 3 }]);
  });
});
