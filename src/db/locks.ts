import type { Prisma } from '../generated/prisma/client.js';

/**
 * Holds a lock named `key` until the transaction ends (PostgreSQL and PGlite alike): writes that
 * check and then insert under the same key take turns, even before any row exists to lock.
 */
export async function lockUntilCommit(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
