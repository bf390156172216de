import type { ApprovalStatus, MessageKind, ScheduleChangeKind } from '../generated/prisma/enums.js';

// Who is mailed what, and when, as plain functions: the code that queues a message asks them, and
// the worker asks them again as it sends, so a message that is no longer due is withdrawn rather
// than sent. No schema imports here.

/**
 * What registerForEvent mails: a new registrant their confirmation, or that their request waits
 * for approval; for an address already registered, nothing changes and its owner (not the caller)
 * gets their manage link, so knowing someone's email is not enough to replace their choices or
 * lock them out.
 */
export function messageOnRegistering({ addressKnown, approval }: { addressKnown: boolean; approval?: ApprovalStatus }): MessageKind {
  if (addressKnown) return 'ADDRESS_IN_USE';
  return approval === 'PENDING' ? 'APPROVAL_REQUESTED' : 'CONFIRMATION';
}

/**
 * What updateRegistration mails: a new request to attend in a mode that needs approval is
 * acknowledged; a cancelled registration that chooses sessions again is a registration anew,
 * confirmed like one (sessions, standing, calendar); other changes are the registrant's own, made
 * with the manage link they hold, and mail nothing.
 */
export function messageOnUpdating({ wasCancelled, sessionsChosen, newRequest = false }: { wasCancelled: boolean; sessionsChosen: boolean; newRequest?: boolean }): MessageKind | null {
  if (newRequest) return 'APPROVAL_REQUESTED';
  return wasCancelled && sessionsChosen ? 'CONFIRMATION' : null;
}

/** Which review messages still stand when their turn comes: an approval or a decline since undone is not sent. */
export function reviewMessageDue(kind: MessageKind, approval: ApprovalStatus): boolean {
  if (kind === 'APPROVAL_REQUESTED') return approval === 'PENDING';
  if (kind === 'APPROVED') return approval === 'APPROVED';
  if (kind === 'DECLINED') return approval === 'DECLINED';
  return true;
}

/** What registrants are told of when a session they chose changes. */
export const noticedFields = ['startsAt', 'endsAt', 'title'] as const;

export interface PublishedChange {
  kind: ScheduleChangeKind;
  sessionId: string | null;
  fields: string[];
  changedAt: Date;
}

/** A session a registrant holds (confirmed or waiting), and since when. */
export interface HeldSession {
  sessionId: string;
  chosenAt: Date;
  endsAt: Date;
}

/**
 * What one schedule change notice tells one registrant: each session they hold, not yet over,
 * whose time or title changed after they chose it, with what changed (in `noticedFields` order).
 * Empty when nothing concerns them. Sessions someone holds can't be removed (deleteSession and
 * importEvent refuse), so a notice names moves and renames.
 */
export function scheduleNoticeFor(changes: PublishedChange[], held: HeldSession[], now: Date): { sessionId: string; fields: string[] }[] {
  return held.flatMap((choice) => {
    if (choice.endsAt <= now) return [];
    const changed = new Set(
      changes
        .filter((change) => change.kind === 'CHANGED' && change.sessionId === choice.sessionId && change.changedAt >= choice.chosenAt)
        .flatMap((change) => change.fields),
    );
    const fields = noticedFields.filter((field) => changed.has(field));
    return fields.length > 0 ? [{ sessionId: choice.sessionId, fields }] : [];
  });
}

/** Whether a published change is one a notice may report. */
export function isNoticed(change: { kind: ScheduleChangeKind; sessionId?: string | null; fields: string[] }): boolean {
  return change.kind === 'CHANGED' && !!change.sessionId && change.fields.some((field) => (noticedFields as readonly string[]).includes(field));
}

/**
 * Notices wait until the schedule has been quiet for `settleSeconds` after its last change, so a
 * burst of edits (or an import touching many sessions) makes one notice per registrant. Null
 * when that time has come; otherwise when to look again.
 */
export function scheduleNoticeWait(lastChangeAt: Date, settleSeconds: number, now: Date): Date | null {
  const quietAt = new Date(lastChangeAt.getTime() + settleSeconds * 1000);
  return quietAt > now ? quietAt : null;
}
