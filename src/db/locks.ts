import type { Prisma } from '../generated/prisma/client.js';

/**
 * Holds a lock named `key` until the transaction ends (PostgreSQL and PGlite alike): writes that
 * check and then insert under the same key take turns, even before any row exists to lock.
 */
export async function lockUntilCommit(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** The lock every change to one person's registration takes, by the registrant or by an admin reviewing it. */
export function registrantLockKey(eventId: string, email: string): string {
  return `registrant/${eventId}/${email}`;
}

/** Several named locks at once, in one statement and in one order, so two holders of overlapping sets can't deadlock. */
export async function lockAllUntilCommit(tx: Prisma.TransactionClient, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) FROM unnest(${[...new Set(keys)].sort()}::text[]) AS key`;
}

/** A session as its row lock reads it: its seats, and what decides when its join link is due (with the event's lead time). */
export interface LockedSession {
  id: string;
  roomSeats: number | null;
  remoteSeats: number | null;
  startsAt: Date;
  endsAt: Date;
  zoomJoinUrl: string | null;
  zoomLinkLeadMinutes: number;
}

/** Row locks on sessions whose seats change, always in id order so two transactions can't deadlock. */
export async function lockSessions(tx: Prisma.TransactionClient, ids: string[]): Promise<LockedSession[]> {
  if (ids.length === 0) return [];
  // Only the sessions are locked (OF s): the event row stays free for everyone else's registrations.
  return tx.$queryRaw<LockedSession[]>`
    SELECT s.id, s."roomSeats", s."remoteSeats", s."startsAt", s."endsAt", s."zoomJoinUrl", e."zoomLinkLeadMinutes"
    FROM "Session" s JOIN "Event" e ON e.id = s."eventId"
    WHERE s.id = ANY(${[...ids].sort()}) ORDER BY s.id FOR UPDATE OF s`;
}
