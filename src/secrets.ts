import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random secret: shown to its owner once; only `hashSecret` of it is stored. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** sha256, hex: the secrets are 256 random bits, so no salt or slow hash is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(a), 'hex'), Buffer.from(hashSecret(b), 'hex'));
}

/** A value only the holder of `key` can compute, for read-only links derived from a secret. */
export function signWith(key: string, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}
