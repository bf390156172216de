import DataLoader from 'dataloader';
import { prisma } from '../../db/client.js';
import { ForbiddenError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { AttendanceMode } from '../../generated/prisma/enums.js';
import { hashSecret, sameSecret } from '../../secrets.js';
import { bearerToken, type AdminPrincipal } from '../admin/tokens.js';
import { calendarFeedKey, derivedKeyShape, manageLinkKey } from './rules.js';

// What the schema's types read beyond their own rows, batched per request; no schema imports here.

type Mode = AttendanceMode;

/** The registration (id and token hash) a key derived with `derive` opens, or null. */
async function registrationForDerivedKey(key: string, derive: typeof calendarFeedKey) {
  const id = derivedKeyShape.exec(key)?.[1];
  const registration = id ? await prisma.registration.findUnique({ where: { id }, select: { id: true, manageTokenHash: true } }) : null;
  const expected = registration && derive(registration);
  return expected && sameSecret(expected, key) ? registration : null;
}

/** The registration whose calendar feed key this is, or null. */
export async function registrationIdForFeedKey(key: string): Promise<string | null> {
  return (await registrationForDerivedKey(key, calendarFeedKey))?.id ?? null;
}

/**
 * The stored hash that a manage token, or a mailed manage link's key, stands for: look
 * registrations up by it. A key that opens nothing gives a hash no registration has.
 */
export async function manageTokenHashFor(tokenOrKey: string): Promise<string> {
  if (!derivedKeyShape.test(tokenOrKey)) return hashSecret(tokenOrKey);
  return (await registrationForDerivedKey(tokenOrKey, manageLinkKey))?.manageTokenHash ?? hashSecret(tokenOrKey);
}

export interface SeatCount {
  confirmed: number;
  waitlisted: number;
}

/** Per request: confirmed and waitlisted counts for every session asked about, in one query. */
export function createSeatCountLoader() {
  return new DataLoader<string, Record<Mode, SeatCount>>(async (sessionIds) => {
    const rows = await prisma.sessionRegistration.groupBy({
      by: ['sessionId', 'attendanceMode', 'status'],
      where: { sessionId: { in: [...sessionIds] }, status: { in: ['CONFIRMED', 'WAITLISTED'] } },
      _count: { _all: true },
    });
    return sessionIds.map((sessionId) => {
      const count = (mode: Mode, status: string) =>
        rows.find((row) => row.sessionId === sessionId && row.attendanceMode === mode && row.status === status)?._count._all ?? 0;
      return Object.fromEntries(
        Object.values(AttendanceMode).map((mode) => [mode, { confirmed: count(mode, 'CONFIRMED'), waitlisted: count(mode, 'WAITLISTED') }]),
      ) as Record<Mode, SeatCount>;
    });
  });
}

/** 1-based places in their waitlists of the given session registrations, in one query. */
export function createWaitlistPositionLoader() {
  return new DataLoader<string, number | null>(async (ids) => {
    const rows = await prisma.$queryRaw<{ id: string; position: bigint }[]>`
      SELECT mine.id, (
        SELECT count(*) FROM "SessionRegistration" ahead
        WHERE ahead."sessionId" = mine."sessionId" AND ahead."attendanceMode" = mine."attendanceMode"
          AND ahead.status = 'WAITLISTED' AND (ahead."statusChangedAt", ahead.id) < (mine."statusChangedAt", mine.id)
      ) + 1 AS position
      FROM "SessionRegistration" mine WHERE mine.id = ANY(${[...ids]}) AND mine.status = 'WAITLISTED'`;
    return ids.map((id) => {
      const row = rows.find((candidate) => candidate.id === id);
      return row ? Number(row.position) : null;
    });
  });
}

/**
 * Who may look a registration up by its ID (`node(id:)`): an admin with READ_REGISTRATIONS, or a
 * request whose bearer token is that registration's manage token. Anyone else is refused before
 * anything is read, so an ID alone tells nothing, not even whether it exists.
 */
export async function registrationByIdWhere(id: string, ctx: { request: Request; admin: () => Promise<AdminPrincipal | null> }): Promise<Prisma.RegistrationWhereUniqueInput> {
  const admin = await ctx.admin();
  if (admin?.scopes.includes('READ_REGISTRATIONS')) return { id };
  const token = bearerToken(ctx.request.headers.get('authorization'));
  if (token && !admin) return { id, manageTokenHash: await manageTokenHashFor(token) };
  throw new ForbiddenError('A registration is read with its manage token (Authorization: Bearer <manageToken>) or an admin token with READ_REGISTRATIONS.');
}
