import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { projectPath } from './project-root.js';

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

/** Where a development installation keeps the key secret it made itself (KEY_SECRET unset). */
export const developmentKeySecretFile = projectPath('.data', 'key-secret');

/**
 * This installation's own random secret, made on first use: written whole under a temporary name
 * and linked into place, so processes starting at once all read the one that won.
 */
function developmentKeySecret(): string {
  try {
    return readFileSync(developmentKeySecretFile, 'utf8').trim();
  } catch {
    mkdirSync(projectPath('.data'), { recursive: true });
    const draft = `${developmentKeySecretFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(32).toString('base64url'), { mode: 0o600 });
    try {
      linkSync(draft, developmentKeySecretFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(draft);
    }
    return readFileSync(developmentKeySecretFile, 'utf8').trim();
  }
}

let keySecret: string | undefined;

/**
 * KEY_SECRET: what keys derived from stored hashes are signed with. It is kept outside the
 * database, so a copy of the database (a backup, a replica) derives no key. Production refuses to
 * start without it (src/server.ts).
 */
function keySecretValue(): string {
  return (keySecret ??= process.env.KEY_SECRET || developmentKeySecret());
}

/** A value only the holder of the key secret and of `stored` (a hash kept in the database) can compute. */
export function signWithKeySecret(stored: string, purpose: string): string {
  return createHmac('sha256', keySecretValue()).update(`${purpose}\n${stored}`).digest('base64url');
}

/** Sealing key: derived from the key secret, apart from the keys it signs. */
const sealingKey = () => createHmac('sha256', keySecretValue()).update('sealing').digest();

/** `text` encrypted and authenticated (AES-256-GCM) with the key secret: for a job that must not carry it in clear. */
export function seal(text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(), iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** What `seal` sealed; throws when it was sealed with another secret or altered. */
export function unseal(sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
