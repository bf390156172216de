import { prisma } from '../db/client.js';
import type { JobQueue } from '../db/jobs.js';
import { isNoticed, scheduleNoticeFor, scheduleNoticeWait, type HeldSession } from '../rules/messages.js';
import { queueMessages, scheduleNoticeSettleSeconds, scheduleNotices } from './outbox.js';

/**
 * An event's schedule change notices: once the schedule has been quiet for the settling time,
 * each registrant holding a session that moved or was renamed since the last notices gets one
 * SCHEDULE_CHANGE message covering all those revisions, and the event records that it was
 * notified up to its current revision. Runs holding the event's row (NO KEY UPDATE: admin writes
 * wait, registrations don't), so two processes never notify one revision twice. Returns how many
 * notices were queued.
 */
export async function sendScheduleNotices(eventId: string, boss: JobQueue, settleSeconds = scheduleNoticeSettleSeconds): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const [event] = await tx.$queryRaw<{ revision: number; notifiedRevision: number }[]>`
      SELECT revision, "notifiedRevision" FROM "Event" WHERE id = ${eventId} FOR NO KEY UPDATE`;
    if (!event || event.notifiedRevision >= event.revision) return 0;
    const changes = await tx.scheduleChange.findMany({
      where: { eventId, revision: { gt: event.notifiedRevision, lte: event.revision } },
      select: { kind: true, sessionId: true, fields: true, changedAt: true },
    });
    const now = new Date();
    const lastChangeAt = new Date(Math.max(...changes.map((change) => change.changedAt.getTime())));
    const wait = scheduleNoticeWait(lastChangeAt, settleSeconds, now);
    if (wait) {
      await scheduleNotices(tx, boss, eventId, wait);
      return 0;
    }
    const sessionIds = [...new Set(changes.filter(isNoticed).map((change) => change.sessionId!))];
    const choices = sessionIds.length
      ? await tx.sessionRegistration.findMany({
          where: { sessionId: { in: sessionIds }, status: { not: 'CANCELLED' }, registration: { cancelledAt: null } },
          select: { registrationId: true, sessionId: true, createdAt: true, session: { select: { endsAt: true } } },
        })
      : [];
    const held = new Map<string, HeldSession[]>();
    for (const choice of choices) {
      held.set(choice.registrationId, [...(held.get(choice.registrationId) ?? []), { sessionId: choice.sessionId, chosenAt: choice.createdAt, endsAt: choice.session.endsAt }]);
    }
    const notified = [...held].filter(([, sessions]) => scheduleNoticeFor(changes, sessions, now).length > 0).map(([registrationId]) => registrationId);
    await queueMessages(
      tx,
      boss,
      notified.map((registrationId) => ({ registrationId, kind: 'SCHEDULE_CHANGE', scheduleSinceRevision: event.notifiedRevision, scheduleRevision: event.revision })),
    );
    // Not through the model: a notice changes nothing about the event (its updatedAt stays).
    await tx.$executeRaw`UPDATE "Event" SET "notifiedRevision" = ${event.revision} WHERE id = ${eventId}`;
    return notified.length;
  });
}
