import type { Prisma, ScheduleChangeKind } from '../generated/prisma/client.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { responseCache } from '../cache.js';
import { prisma } from '../db/client.js';
import type { JobQueue } from '../db/jobs.js';
import { scheduleNotices } from '../mail/outbox.js';
import { pubsub } from '../pubsub.js';
import { isNoticed } from '../rules/messages.js';

export interface ScheduleChangeInput {
  kind: ScheduleChangeKind;
  /** The session that changed, if it still exists: its iCalendar SEQUENCE rises when a calendar shows what changed. */
  sessionId?: string | null;
  sessionNumber?: number | null;
  title: string;
  fields: string[];
}

/**
 * Seat counts are live availability (`Session.availability`), not the schedule, and text in other
 * languages is not a move in it: changing them alone publishes nothing.
 */
const unscheduledFields = new Set(['roomSeats', 'remoteSeats', 'translations']);

/**
 * What a session's calendar entry shows: its SUMMARY (number and title), DTSTART/DTEND, its
 * DESCRIPTION (with its parts) and, in a registrant's feed, the join link. Only a change to one of
 * these raises its SEQUENCE, so calendar apps don't alert anyone for what they don't show.
 */
const sessionCalendarFields = new Set(['number', 'title', 'description', 'startsAt', 'endsAt', 'parts', 'zoomJoinUrl', 'translations']);

/** What every session's calendar entry shows of its event: LOCATION, STATUS and the zone of its times. */
const eventCalendarFields = new Set(['status', 'venueName', 'venueRoom', 'onlinePlatform', 'timeZone']);

/**
 * What changes to a session's parts change in the session: its `parts`, or only their text in
 * other languages (which calendars show but the schedule doesn't publish), or nothing.
 */
export function partChangeFields(changes: { kind: ScheduleChangeKind; fields: string[] }[]): string[] {
  if (changes.some((change) => change.kind !== 'CHANGED' || change.fields.some((field) => field !== 'translations'))) return ['parts'];
  return changes.length ? ['translations'] : [];
}

/**
 * Inside the transaction that changes an event's own fields: when a calendar shows one of them,
 * every session's SEQUENCE rises, as each of their entries changed.
 */
export async function eventFieldsChanged(tx: Prisma.TransactionClient, eventId: string, fields: string[]): Promise<void> {
  if (fields.some((field) => eventCalendarFields.has(field))) {
    await tx.session.updateMany({ where: { eventId }, data: { sequence: { increment: 1 } } });
  }
}

/**
 * Publishes changes to an event's schedule, inside the transaction that makes them: the event's
 * revision rises once, each change is listed under it, and each session whose calendar entry
 * changed gets a higher SEQUENCE. A change to seat counts alone is not a schedule change. When a
 * session moved or was renamed, the event's schedule change notices are (re)scheduled to go out
 * once the schedule has been quiet for a while. Returns the new revision, or null when there was
 * nothing to publish.
 */
export async function recordScheduleChanges(tx: Prisma.TransactionClient, boss: JobQueue, eventId: string, reported: ScheduleChangeInput[]): Promise<number | null> {
  // A calendar in French shows the French title: its entry changed even if nothing is published.
  const changedSessions = reported.flatMap((change) =>
    change.kind === 'CHANGED' && change.sessionId && change.fields.some((field) => sessionCalendarFields.has(field)) ? [change.sessionId] : [],
  );
  if (changedSessions.length > 0) {
    await tx.session.updateMany({ where: { id: { in: changedSessions } }, data: { sequence: { increment: 1 } } });
  }
  const changes = reported.flatMap((change) => {
    const fields = change.fields.filter((field) => !unscheduledFields.has(field));
    return change.kind === 'CHANGED' && fields.length === 0 ? [] : [{ ...change, fields }];
  });
  if (changes.length === 0) return null;
  const { revision } = await tx.event.update({ where: { id: eventId }, data: { revision: { increment: 1 } }, select: { revision: true } });
  await tx.scheduleChange.createMany({
    data: changes.map(({ kind, sessionId, sessionNumber, title, fields }) => ({ eventId, revision, kind, sessionId: sessionId ?? null, sessionNumber: sessionNumber ?? null, title, fields })),
  });
  if (changes.some(isNoticed)) await scheduleNotices(tx, boss, eventId);
  return revision;
}

/**
 * After an admin write commits: drops the cached responses that show the event or any session
 * (in every process, with Redis), and tells subscribers when the schedule moved.
 */
export async function announceAgendaChange(eventSlug: string, revision: number | null): Promise<void> {
  const event = await prisma.event.findUnique({ where: { slug: eventSlug }, select: { id: true } });
  // Agenda items and breaks are read alone too (node(id:)), without their event in the answer.
  await responseCache.invalidate([
    { typename: 'Session' },
    { typename: 'AgendaItem' },
    { typename: 'Break' },
    ...(event ? [{ typename: 'Event', id: encodeGlobalID('Event', event.id) }] : []),
  ]);
  if (revision !== null) pubsub.publish('agendaChanged', eventSlug, { eventSlug, revision });
}
