import type { AttendanceMode } from '../../generated/prisma/enums.js';
import { signWith } from '../../secrets.js';

// Registration rules as plain functions: the schema's types and the resolvers both use them, and
// this module imports neither, so neither imports the other through it.

type Mode = AttendanceMode;

/** Seats for a mode: `null` means no limit. */
export function seatsFor(session: { roomSeats: number | null; remoteSeats: number | null }, mode: Mode): number | null {
  return mode === 'IN_PERSON' ? session.roomSeats : session.remoteSeats;
}

/** When a registration window is open: from `registrationOpensAt` to `registrationClosesAt`, or the event's end. */
export function registrationClosedReason(
  event: { status: string; registrationOpensAt: Date | null; registrationClosesAt: Date | null; endsAt: Date },
  now: Date,
): string | null {
  if (event.status === 'CANCELLED') return 'The event is cancelled.';
  if (event.registrationOpensAt && now < event.registrationOpensAt) return `Registration opens at ${event.registrationOpensAt.toISOString()}.`;
  const closesAt = event.registrationClosesAt ?? event.endsAt;
  if (now >= closesAt) return `Registration closed at ${closesAt.toISOString()}.`;
  return null;
}

/**
 * Who may see a session's join link, and from when: only a confirmed remote participant, and the
 * link itself only from `releaseZoomLinkAt` (the session's start less the event's lead time).
 */
export function zoomLinkFor(
  choice: { status: string; attendanceMode: Mode },
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

/**
 * The key of a registrant's read-only calendar feed: it shows their sessions and released join
 * links but can't change anything, unlike the manage token, so calendar services may hold it. It
 * is derived from the stored token hash, so a new manage token also retires the old feed link.
 */
export function calendarFeedKey(registration: { id: string; manageTokenHash: string | null }): string | null {
  return registration.manageTokenHash ? `${registration.id}.${signWith(registration.manageTokenHash, 'calendar feed')}` : null;
}

/**
 * The key a mailed manage link carries: it opens the registration like the manage token, but is
 * derived from the stored token hash, so a mail can be sent at any time without the token ever
 * being stored. A new manage token retires it, as it does the calendar feed.
 */
export function manageLinkKey(registration: { id: string; manageTokenHash: string | null }): string | null {
  return registration.manageTokenHash ? `${registration.id}.${signWith(registration.manageTokenHash, 'manage link')}` : null;
}

/** Keys derived from a registration's token hash have this shape; manage tokens start `reg_`. */
export const derivedKeyShape = /^([0-9a-f-]{36})\.[\w-]{43}$/;
