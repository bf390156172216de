import { encodeGlobalID } from '@pothos/plugin-relay';
import { responseCache } from '../../cache.js';
import type { JobQueue } from '../../db/jobs.js';
import { lockSessions, type LockedSession } from '../../db/locks.js';
import { AttendanceMode, type ApprovalStatus, type Prisma, type SessionRegistrationStatus } from '../../generated/prisma/client.js';
import { queueMessages, scheduleJoinLinks } from '../../mail/outbox.js';
import { joinLinkReleased } from '../../rules/join-links.js';
import { seatsFor } from '../../rules/seats.js';

// Taking and freeing seats inside a registration's or an admin's transaction, with the mail each
// change causes (promotions, join links) queued in the same transaction.

type Tx = Prisma.TransactionClient;
type Mode = AttendanceMode;

/**
 * Remote participants just confirmed in these locked sessions: where the join link is already
 * out, the session's round of join-link mails runs at once and finds them. The clock is read
 * after the locks were taken: a round that held them ran before this registrant was confirmed, so
 * the time read here is past its start, and this registrant gets a round of their own.
 */
async function lateJoinLinks(tx: Tx, boss: JobQueue, sessions: LockedSession[]): Promise<void> {
  const now = new Date();
  const released = sessions.filter((session) => joinLinkReleased(session, session.zoomLinkLeadMinutes, now));
  await scheduleJoinLinks(tx, boss, released, now);
}

/**
 * Confirms waiting registrants, first come first served, while the session has seats for the
 * mode, and mails each that a seat is now theirs, in the same transaction. Pending requests of
 * the registrations `approved` now join the line at the time they were chosen: those seated are
 * confirmed, the others wait (each row changes once), and they hear of it in their approval mail.
 */
export async function fillSeats(tx: Tx, boss: JobQueue, session: LockedSession, mode: Mode, now: Date, approved: ReadonlySet<string> = new Set()): Promise<void> {
  const ofMode = { sessionId: session.id, attendanceMode: mode };
  const pendingApproved: Prisma.SessionRegistrationWhereInput = { ...ofMode, status: 'PENDING', registrationId: { in: [...approved] } };
  const seats = seatsFor(session, mode);
  const confirmed = await tx.sessionRegistration.count({ where: { ...ofMode, status: 'CONFIRMED' } });
  const free = seats === null ? undefined : seats - confirmed;
  const waiting =
    free !== undefined && free <= 0
      ? []
      : await tx.sessionRegistration.findMany({
          where: { OR: [{ ...ofMode, status: 'WAITLISTED' }, ...(approved.size ? [pendingApproved] : [])] },
          orderBy: [{ statusChangedAt: 'asc' }, { id: 'asc' }],
          take: free,
          select: { id: true, registrationId: true },
        });
  if (waiting.length > 0) await tx.sessionRegistration.updateMany({ where: { id: { in: waiting.map((row) => row.id) } }, data: { status: 'CONFIRMED', statusChangedAt: now } });
  // Approved beyond the seats: in line, at the time each was chosen (statusChangedAt is kept).
  if (approved.size) await tx.sessionRegistration.updateMany({ where: pendingApproved, data: { status: 'WAITLISTED' } });
  if (waiting.length === 0) return;
  const promoted = waiting.filter((row) => !approved.has(row.registrationId));
  await queueMessages(tx, boss, promoted.map((row) => ({ registrationId: row.registrationId, kind: 'PROMOTION', sessionId: session.id })));
  if (mode === 'REMOTE') await lateJoinLinks(tx, boss, [session]);
}

type SeatLimits = { roomSeats: number | null; remoteSeats: number | null };

/**
 * A session's seat limits changed (an admin's update or an import): in each mode whose limit
 * changed, the first ones waiting take the seats there now are. The session must be locked.
 */
export async function seatLimitsChanged(tx: Tx, boss: JobQueue, before: SeatLimits, after: LockedSession, now: Date): Promise<void> {
  for (const mode of Object.values(AttendanceMode)) {
    if (seatsFor(after, mode) !== seatsFor(before, mode)) await fillSeats(tx, boss, after, mode, now);
  }
}

/** A new choice's standing: a seat while there are free ones and nobody waits for them, else in line. */
async function seatStatus(tx: Tx, session: LockedSession, mode: Mode): Promise<'CONFIRMED' | 'WAITLISTED'> {
  const seats = seatsFor(session, mode);
  // Both counts in one statement: the session row stays locked until commit, so every round
  // trip from here on holds up the next registrant for this session.
  const counts = await tx.sessionRegistration.groupBy({
    by: ['status'],
    where: { sessionId: session.id, attendanceMode: mode, status: { in: ['CONFIRMED', 'WAITLISTED'] } },
    _count: { _all: true },
  });
  const count = (status: SessionRegistrationStatus) => counts.find((row) => row.status === status)?._count._all ?? 0;
  return (seats === null || count('CONFIRMED') < seats) && count('WAITLISTED') === 0 ? 'CONFIRMED' : 'WAITLISTED';
}

/**
 * Makes a registration's sessions the chosen ones in its mode: new choices are confirmed while
 * seats last and waitlisted after (pending, holding no seat, while the registration waits for
 * approval); dropped ones (or all, on a change of mode or a cancellation)
 * free their seat for the first one waiting. The session rows stay locked until commit, so two
 * requests never both take the last seat.
 */
export async function saveChoices(tx: Tx, boss: JobQueue, registration: { id: string; attendanceMode: Mode; approval: ApprovalStatus; isNew?: boolean }, chosenIds: string[], now: Date): Promise<string[]> {
  const current = registration.isNew ? [] : await tx.sessionRegistration.findMany({ where: { registrationId: registration.id } });
  const sessions = await lockSessions(tx, [...new Set([...chosenIds, ...current.map((row) => row.sessionId)])]);
  const sessionById = new Map(sessions.map((session) => [session.id, session]));
  const active = (row: (typeof current)[number]) => row.status !== 'CANCELLED' && row.attendanceMode === registration.attendanceMode;

  for (const row of current) {
    if (row.status !== 'CANCELLED' && (!chosenIds.includes(row.sessionId) || !active(row))) {
      await tx.sessionRegistration.update({ where: { id: row.id }, data: { status: 'CANCELLED', statusChangedAt: now } });
      if (row.status === 'CONFIRMED') await fillSeats(tx, boss, sessionById.get(row.sessionId)!, row.attendanceMode, now);
    }
  }
  const confirmed: LockedSession[] = [];
  for (const sessionId of chosenIds) {
    const existing = current.find((row) => row.sessionId === sessionId);
    if (existing && active(existing)) continue;
    // A pending request holds no seat; once approved, its place in line is when it was chosen.
    const status = registration.approval === 'PENDING' ? 'PENDING' : await seatStatus(tx, sessionById.get(sessionId)!, registration.attendanceMode);
    const data = { attendanceMode: registration.attendanceMode, status, statusChangedAt: now } as const;
    await tx.sessionRegistration.upsert({
      where: { registrationId_sessionId: { registrationId: registration.id, sessionId } },
      create: { registrationId: registration.id, sessionId, ...data },
      update: data,
    });
    if (status === 'CONFIRMED') confirmed.push(sessionById.get(sessionId)!);
  }
  if (registration.attendanceMode === 'REMOTE') await lateJoinLinks(tx, boss, confirmed);
  return sessions.map((session) => session.id);
}

/** After commit: cached public responses showing these sessions' seats are stale. */
export async function seatsChanged(sessionIds: string[]): Promise<void> {
  await responseCache.invalidate(sessionIds.map((id) => ({ typename: 'Session', id: encodeGlobalID('Session', id) })));
}
