import type { Prisma, ScheduleChangeKind } from '../generated/prisma/client.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { responseCache } from '../cache.js';
import { prisma } from '../db/client.js';
import { pubsub } from '../pubsub.js';

export interface ScheduleChangeInput {
  kind: ScheduleChangeKind;
  /** The session that changed, if it still exists: its iCalendar SEQUENCE rises. */
  sessionId?: string | null;
  sessionNumber?: number | null;
  title: string;
  fields: string[];
}

/**
 * Publishes changes to an event's schedule, inside the transaction that makes them: the event's
 * revision rises once, each change is listed under it, and each changed session's SEQUENCE rises.
 * Returns the new revision, or null when there was nothing to publish.
 */
export async function recordScheduleChanges(tx: Prisma.TransactionClient, eventId: string, changes: ScheduleChangeInput[]): Promise<number | null> {
  if (changes.length === 0) return null;
  const { revision } = await tx.event.update({ where: { id: eventId }, data: { revision: { increment: 1 } }, select: { revision: true } });
  await tx.scheduleChange.createMany({
    data: changes.map(({ kind, sessionNumber, title, fields }) => ({ eventId, revision, kind, sessionNumber: sessionNumber ?? null, title, fields })),
  });
  const changedSessions = changes.flatMap((change) => (change.kind === 'CHANGED' && change.sessionId ? [change.sessionId] : []));
  if (changedSessions.length > 0) {
    await tx.session.updateMany({ where: { id: { in: changedSessions } }, data: { sequence: { increment: 1 } } });
  }
  return revision;
}

/**
 * After an admin write commits: drops the cached responses that show the event or any session
 * (in every process, with Redis), and tells subscribers when the schedule moved.
 */
export async function announceAgendaChange(eventSlug: string, revision: number | null): Promise<void> {
  const event = await prisma.event.findUnique({ where: { slug: eventSlug }, select: { id: true } });
  await responseCache.invalidate([{ typename: 'Session' }, ...(event ? [{ typename: 'Event', id: encodeGlobalID('Event', event.id) }] : [])]);
  if (revision !== null) pubsub.publish('agendaChanged', eventSlug, { eventSlug, revision });
}
