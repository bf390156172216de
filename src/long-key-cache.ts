import { LRUCache } from 'lru-cache';

/** A key's length, start and end: what a long key is kept under. */
const fingerprint = (key: string) => (key.length <= 256 ? key : `${key.length}:${key.slice(0, 64)}${key.slice(-192)}`);

/**
 * An LRU cache for long string keys made afresh for every lookup (a URL with its query, an SQL
 * text): V8 hashes such a string in full at each lookup, microseconds for a few KB, where comparing
 * it with a kept key costs far less. Entries are kept under a fingerprint of their key, and a hit
 * compares the whole key. A different key with the same fingerprint misses, and setting it
 * replaces the kept entry, as an eviction would.
 */
export class LongKeyCache<V extends {}> {
  readonly #entries: LRUCache<string, { key: string; value: V }>;

  /** `bytes`, when given, bounds the entries by their size (with `maxBytes`) as well as their number. */
  constructor({ bytes, maxBytes, ...options }: { max: number; ttl?: number; ttlAutopurge?: boolean; bytes?: (value: V) => number; maxBytes?: number }) {
    this.#entries = new LRUCache(bytes ? { ...options, maxSize: maxBytes, sizeCalculation: ({ key, value }) => Math.max(1, key.length + bytes(value)) } : options);
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(fingerprint(key));
    return entry?.key === key ? entry.value : undefined;
  }

  set(key: string, value: V): void {
    this.#entries.set(fingerprint(key), { key, value });
  }
}
