import type { ApprovalStatus, AttendanceMode, EventFormat } from '../generated/prisma/enums.js';

// Which registrations wait for an admin's approval (in person at the Palais des Nations: a grounds
// pass), and which may be approved or declined. Plain functions: no schema, no database.

type Mode = AttendanceMode;

/** The ways of attending an event's format offers. */
export function modesOffered(format: EventFormat): Mode[] {
  return format === 'IN_PERSON' ? ['IN_PERSON'] : format === 'ONLINE' ? ['REMOTE'] : ['IN_PERSON', 'REMOTE'];
}

/** What is wrong with an event's `approvalRequiredFor`, by index in it: only modes its format offers, each once. */
export function approvalModeIssues(event: { format: EventFormat; approvalRequiredFor: Mode[] }): { index: number; message: string }[] {
  const offered = modesOffered(event.format);
  return event.approvalRequiredFor.flatMap((mode, index) => {
    if (!offered.includes(mode)) return [{ index, message: `the event's format (${event.format}) offers no ${mode} attendance` }];
    if (event.approvalRequiredFor.indexOf(mode) !== index) return [{ index, message: 'is listed twice' }];
    return [];
  });
}

export interface CurrentRegistration {
  approval: ApprovalStatus;
  attendanceMode: Mode;
  cancelledAt: Date | null;
}

/**
 * The approval a registration has once the registrant chooses `mode`, and whether that is a new
 * request to review. A registration that stands in the mode it keeps keeps its standing (one made
 * before the mode needed approval included); in a mode the event doesn't review none is needed;
 * any other choice of a reviewed mode is a new request. A declined request can't be made again in
 * that mode (null): the registrant may still attend another way.
 */
export function approvalOnChoosing(
  event: { approvalRequiredFor: Mode[] },
  current: CurrentRegistration | null,
  mode: Mode,
): { approval: ApprovalStatus; newRequest: boolean } | null {
  const sameMode = current?.attendanceMode === mode;
  if (current && sameMode && !current.cancelledAt && current.approval !== 'DECLINED') return { approval: current.approval, newRequest: false };
  if (!event.approvalRequiredFor.includes(mode)) return { approval: 'NOT_REQUIRED', newRequest: false };
  if (current?.approval === 'DECLINED' && sameMode) return null;
  return { approval: 'PENDING', newRequest: true };
}

export type Review = 'approve' | 'decline';

export interface ReviewedRegistration {
  eventId: string;
  approval: ApprovalStatus;
  cancelledAt: Date | null;
}

/**
 * Why one registration named in an approval or a decline can't be reviewed, or null. All must
 * belong to one event (the first one's). Reviewing again what was already decided so is no
 * error (two admins at once); a decline may withdraw an approval, an approval can't undo a decline.
 */
export function reviewRefusal(review: Review, registration: ReviewedRegistration | undefined, eventId: string | undefined): string | null {
  if (!registration) return 'names no registration';
  if (registration.eventId !== eventId) return 'is a registration of another event: review one event at a time';
  if (registration.cancelledAt) return 'was cancelled by the registrant';
  if (registration.approval === 'NOT_REQUIRED') return 'needs no approval';
  if (review === 'approve' && registration.approval === 'DECLINED') return 'was declined';
  return null;
}

/** Whether a review changes the registration (else it was already so). */
export function reviewChanges(review: Review, approval: ApprovalStatus): boolean {
  return review === 'approve' ? approval === 'PENDING' : approval !== 'DECLINED';
}
