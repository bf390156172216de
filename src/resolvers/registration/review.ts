import { prisma } from '../../db/client.js';
import { lockAllUntilCommit, lockSessions, registrantLockKey } from '../../db/locks.js';
import { ValidationError, type FieldIssue } from '../../errors.js';
import { mailJobs, queueMessages } from '../../mail/outbox.js';
import { duplicates } from '../../rules/input-fields.js';
import { reviewChanges, reviewRefusal, type Review } from '../../rules/registration-approval.js';
import { fillSeats, seatsChanged } from './seating.js';

// An admin's review of requests to attend in a mode that needs approval: approving puts each
// chosen session in line at the time it was chosen and seats the first ones while seats last;
// declining cancels them. All in one transaction, with the mail each decision causes.

/** At most this many registrations per review: one transaction holds their locks. */
export const maxReviewed = 1_000;

const transactionOptions = { maxWait: 30_000, timeout: 60_000 };

/**
 * Approves or declines registrations of one event (`ids`), all or none: any that can't be reviewed
 * refuses the whole call with a ValidationError naming it. Those already decided so are left as
 * they are. Returns the ids reviewed.
 */
export async function reviewRegistrations(review: Review, ids: string[], reason: string | null = null, now = new Date()): Promise<string[]> {
  if (ids.length === 0) throw new ValidationError([{ path: 'input.ids', message: 'name at least one registration' }]);
  if (ids.length > maxReviewed) throw new ValidationError([{ path: 'input.ids', message: `name at most ${maxReviewed} registrations at once` }]);

  const boss = await mailJobs();
  const touched = await prisma.$transaction(async (tx) => {
    // The registrants' own locks, as their changes and cancellations take them: either theirs
    // commits first and is seen here, or it waits for the review.
    const named = await tx.registration.findMany({ where: { id: { in: ids } }, select: { eventId: true, email: true } });
    await lockAllUntilCommit(tx, named.map((row) => registrantLockKey(row.eventId, row.email)));
    const registrations = new Map(
      (await tx.registration.findMany({ where: { id: { in: ids } }, select: { id: true, eventId: true, approval: true, cancelledAt: true } })).map((row) => [row.id, row]),
    );
    const eventId = registrations.get(ids[0]!)?.eventId;
    const twice = new Set(duplicates(ids));
    const issues: FieldIssue[] = ids.flatMap((id, index) => {
      const refusal = twice.has(index) ? 'is named twice' : reviewRefusal(review, registrations.get(id), eventId);
      return refusal ? [{ path: `input.ids[${index}]`, message: refusal }] : [];
    });
    if (issues.length) throw new ValidationError(issues);

    const changing = [...registrations.values()].filter((row) => reviewChanges(review, row.approval)).map((row) => row.id);
    if (changing.length === 0) return [];
    const choices = await tx.sessionRegistration.findMany({ where: { registrationId: { in: changing }, status: { not: 'CANCELLED' } } });
    const sessions = await lockSessions(tx, [...new Set(choices.map((choice) => choice.sessionId))]);
    if (review === 'approve') {
      await tx.registration.updateMany({ where: { id: { in: changing } }, data: { approval: 'APPROVED' } });
    } else {
      await tx.registration.updateMany({ where: { id: { in: changing } }, data: { approval: 'DECLINED', declineReason: reason } });
      await tx.sessionRegistration.updateMany({ where: { id: { in: choices.map((choice) => choice.id) } }, data: { status: 'CANCELLED', statusChangedAt: now } });
    }
    // Each session and mode with a change: approved requests join the line at the time each was
    // chosen and take the seats there are, in that order; a withdrawn approval's seat goes to the
    // first one waiting.
    const approved = new Set(review === 'approve' ? changing : []);
    for (const session of sessions) {
      for (const mode of new Set(choices.filter((choice) => choice.sessionId === session.id).map((choice) => choice.attendanceMode))) {
        await fillSeats(tx, boss, session, mode, now, approved);
      }
    }
    await queueMessages(tx, boss, changing.map((registrationId) => ({ registrationId, kind: review === 'approve' ? 'APPROVED' : 'DECLINED' })));
    return sessions.map((session) => session.id);
  }, transactionOptions);
  await seatsChanged(touched);
  return ids;
}
