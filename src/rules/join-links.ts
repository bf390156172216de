import { createHash } from 'node:crypto';
import type { ApprovalStatus, AttendanceMode, SessionRegistrationStatus } from '../generated/prisma/enums.js';

// Who gets a session's join link, and when: the link's release and the rounds that mail it.

/**
 * Who may see a session's join link, and from when: only a confirmed remote participant, and the
 * link itself only from `releaseZoomLinkAt` (the session's start less the event's lead time).
 */
export function zoomLinkFor(
  choice: { status: string; attendanceMode: AttendanceMode },
  session: { startsAt: Date; zoomJoinUrl: string | null },
  zoomLinkLeadMinutes: number,
  now: Date,
): { url: string | null; releaseZoomLinkAt: Date } | null {
  if (choice.status !== 'CONFIRMED' || choice.attendanceMode !== 'REMOTE') return null;
  const releaseAt = releaseZoomLinkAt(session, zoomLinkLeadMinutes);
  return { url: now >= releaseAt ? session.zoomJoinUrl : null, releaseZoomLinkAt: releaseAt };
}

/** When a session's join link is released: its start less the event's lead time. */
export function releaseZoomLinkAt(session: { startsAt: Date }, zoomLinkLeadMinutes: number): Date {
  return new Date(session.startsAt.getTime() - zoomLinkLeadMinutes * 60_000);
}

interface LinkedSession {
  startsAt: Date;
  endsAt: Date;
  zoomJoinUrl: string | null;
}

/**
 * When a session's round of join-link mails is due: at the link's release time, or now when that
 * has passed; null when there is nothing to send (no link, or the session is over).
 */
export function joinLinkRoundAt(session: LinkedSession, zoomLinkLeadMinutes: number, now: Date): Date | null {
  if (!session.zoomJoinUrl || session.endsAt <= now) return null;
  const releaseAt = releaseZoomLinkAt(session, zoomLinkLeadMinutes);
  return releaseAt > now ? releaseAt : now;
}

/** Whether a session's join link is out now (released, the session not over): anyone confirmed online from now on gets it at once. */
export function joinLinkReleased(session: LinkedSession, zoomLinkLeadMinutes: number, now: Date): boolean {
  return !!session.zoomJoinUrl && session.endsAt > now && releaseZoomLinkAt(session, zoomLinkLeadMinutes) <= now;
}

/** The fields of a session that move its join-link round or decide whether there is one. */
export const joinLinkFields = ['startsAt', 'endsAt', 'zoomJoinUrl'];

/** The approvals that let a registrant attend, and so receive a join link: approved, or never needing approval. */
export const approvedOrNotRequired: ApprovalStatus[] = ['NOT_REQUIRED', 'APPROVED'];

/**
 * The join link one registrant is mailed for one session now, or null: only a confirmed remote
 * participant whose registration stands and needs no approval or has it, from the link's release
 * until the session ends.
 */
export function joinLinkDue(
  choice: { status: SessionRegistrationStatus; attendanceMode: AttendanceMode; registrationCancelled: boolean; approval: ApprovalStatus },
  session: LinkedSession,
  zoomLinkLeadMinutes: number,
  now: Date,
): string | null {
  if (choice.registrationCancelled || !approvedOrNotRequired.includes(choice.approval) || session.endsAt <= now) return null;
  return zoomLinkFor(choice, session, zoomLinkLeadMinutes, now)?.url ?? null;
}

/** What a JOIN_LINK message records of its link: a changed link is mailed again, the same one never. */
export function joinUrlHash(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}
