import DataLoader from 'dataloader';
import { prisma } from '../db/client.js';
import { AttendanceMode } from '../generated/prisma/enums.js';

// How many seats a session has for each way of attending, how many are taken, and who waits:
// counts batched per request for the schema's types and the mail worker.

type Mode = AttendanceMode;

/** Seats for a mode: `null` means no limit. */
export function seatsFor(session: { roomSeats: number | null; remoteSeats: number | null }, mode: AttendanceMode): number | null {
  return mode === 'IN_PERSON' ? session.roomSeats : session.remoteSeats;
}

export interface SeatCount {
  confirmed: number;
  waitlisted: number;
  /** Requests waiting for approval: they hold no seat. */
  pending: number;
}

/** Per request: confirmed, waitlisted and pending counts for every session asked about, in one query. */
export function createSeatCountLoader() {
  return new DataLoader<string, Record<Mode, SeatCount>>(async (sessionIds) => {
    const rows = await prisma.sessionRegistration.groupBy({
      by: ['sessionId', 'attendanceMode', 'status'],
      where: { sessionId: { in: [...sessionIds] }, status: { in: ['CONFIRMED', 'WAITLISTED', 'PENDING'] } },
      _count: { _all: true },
    });
    return sessionIds.map((sessionId) => {
      const count = (mode: Mode, status: string) =>
        rows.find((row) => row.sessionId === sessionId && row.attendanceMode === mode && row.status === status)?._count._all ?? 0;
      return Object.fromEntries(
        Object.values(AttendanceMode).map((mode) => [mode, { confirmed: count(mode, 'CONFIRMED'), waitlisted: count(mode, 'WAITLISTED'), pending: count(mode, 'PENDING') }]),
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
