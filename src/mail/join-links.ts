import { prisma } from '../db/client.js';
import type { JobQueue } from '../db/jobs.js';
import { lockSessions } from '../db/locks.js';
import { approvedOrNotRequired, joinLinkDue, joinLinkRoundAt, joinUrlHash } from '../rules/join-links.js';
import { queueMessages, scheduleJoinLinks } from './outbox.js';

/**
 * A session's round of join-link mails: every confirmed remote participant who has not been mailed
 * its current link gets a JOIN_LINK message, in one transaction holding the session's lock, as
 * registrations take it. A participant confirmed meanwhile is either seen here or, confirmed after,
 * schedules a round of their own; a link mailed once is never queued again (the unique
 * registration, session and link hash backs this across processes). Returns how many were queued.
 */
export async function sendJoinLinks(sessionId: string, boss: JobQueue): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const [session] = await lockSessions(tx, [sessionId]);
    const now = new Date();
    const at = session && joinLinkRoundAt(session, session.zoomLinkLeadMinutes, now);
    if (!session || !at) return 0;
    if (at > now) {
      // Early: the session moved later since this round was scheduled.
      await scheduleJoinLinks(tx, boss, [session], now);
      return 0;
    }
    const hash = joinUrlHash(session.zoomJoinUrl!);
    const choices = await tx.sessionRegistration.findMany({
      where: {
        sessionId,
        status: 'CONFIRMED',
        attendanceMode: 'REMOTE',
        registration: { cancelledAt: null, approval: { in: approvedOrNotRequired }, messages: { none: { kind: 'JOIN_LINK', sessionId, joinUrlHash: hash } } },
      },
      select: { registrationId: true, status: true, attendanceMode: true, registration: { select: { approval: true } } },
    });
    const due = choices.filter((choice) => joinLinkDue({ ...choice, registrationCancelled: false, approval: choice.registration.approval }, session, session.zoomLinkLeadMinutes, now));
    await queueMessages(tx, boss, due.map(({ registrationId }) => ({ registrationId, kind: 'JOIN_LINK', sessionId, joinUrlHash: hash })));
    return due.length;
  });
}

/**
 * At a worker's start: every session with a join link to come has its round scheduled (sessions
 * imported before rounds existed, or whose job was lost). Scheduling is idempotent, so each
 * process may do it.
 */
export async function scheduleComingJoinLinks(boss: JobQueue, now = new Date()): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const sessions = await tx.session.findMany({
      where: { zoomJoinUrl: { not: null }, endsAt: { gt: now } },
      select: { id: true, startsAt: true, endsAt: true, zoomJoinUrl: true, event: { select: { zoomLinkLeadMinutes: true } } },
    });
    await scheduleJoinLinks(tx, boss, sessions.map(({ event, ...session }) => ({ ...session, zoomLinkLeadMinutes: event.zoomLinkLeadMinutes })), now);
  });
}
