import { z } from 'zod';
import { prisma } from '../db/client.js';
import { lockSessions } from '../db/locks.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { SessionFormat, type Prisma } from '../generated/prisma/client.js';
import { Event } from '../schema/event.js';
import { MechanismType } from '../schema/mechanism-type.js';
import { Session, SessionFormatEnum, sessionTranslations } from '../schema/session.js';
import { entityWrites, type WriteInput, type GlobalID } from './admin-writes.js';
import { found, writeEventContent } from './event.js';
import { changedFields } from '../rules/changed-fields.js';
import { intervalIssue } from '../rules/event-file.js';
import { optionalText, parseInput, seats, text, webUrl } from '../rules/input-fields.js';
import { translationList, writtenTranslations } from '../rules/translation-input.js';
import { scheduleJoinLinks } from '../mail/outbox.js';
import { joinLinkFields } from '../rules/join-links.js';
import { seatLimitsChanged } from './registration/seating.js';
import type { ScheduleChangeInput } from './schedule.js';

type Tx = Prisma.TransactionClient;

const sessionFields = z.object({
  number: z.number().int().positive(),
  title: text,
  description: optionalText,
  startsAt: z.date(),
  endsAt: z.date(),
  format: z.enum(SessionFormat).nullish(),
  roomSeats: seats,
  remoteSeats: seats,
  zoomJoinUrl: webUrl,
  translations: translationList('Session').optional(),
});

/** A change to a session or to what it holds (its parts, its panelists): its SEQUENCE rises. */
export function sessionChanged(session: { id: string; number: number; title: string }, fields: string[]): ScheduleChangeInput {
  return { kind: 'CHANGED', sessionId: session.id, sessionNumber: session.number, title: session.title, fields };
}

/** The event of a session, whose lock a write to the session, or to what it holds, takes. */
export async function eventOfSession(id: string): Promise<string> {
  return (await found(prisma.session.findUnique({ where: { id }, select: { eventId: true } }), 'session')).eventId;
}

/** A session must lie within its event, end after it starts, and have a number no other session of the event has. */
async function checkSession(
  tx: Tx,
  event: { id: string; startsAt: Date; endsAt: Date },
  session: { id?: string; number: number; startsAt: Date; endsAt: Date; mechanismTypeId?: string | null },
): Promise<void> {
  if (session.mechanismTypeId) await found(tx.mechanismType.findUnique({ where: { id: session.mechanismTypeId } }), 'mechanism type');
  const issues: FieldIssue[] = [];
  const problem = intervalIssue(session, event);
  if (problem) issues.push({ path: `input.${problem.field}`, message: problem.message });
  // A taken number is a mistake in the input, not a state to resolve: a ValidationError on input.number.
  const sameNumber = await tx.session.findFirst({ where: { eventId: event.id, number: session.number, id: session.id ? { not: session.id } : undefined } });
  if (sameNumber) issues.push({ path: 'input.number', message: `is used by another session of the event ("${sameNumber.title}")` });
  if (issues.length) throw new ValidationError(issues);
}

export async function createSession({ eventId, mechanismTypeId, ...input }: WriteInput<'eventId'> & { mechanismTypeId?: GlobalID | null }, now = new Date()): Promise<string> {
  const data = { ...parseInput(sessionFields, input, 'input'), mechanismTypeId: mechanismTypeId?.id ?? null };
  return writeEventContent(eventId.id, async (tx, event, boss) => {
    await checkSession(tx, event, data);
    const created = await tx.session.create({ data: { ...data, translations: writtenTranslations({}, data.translations, event), eventId: event.id } });
    await scheduleJoinLinks(tx, boss, [{ ...created, zoomLinkLeadMinutes: event.zoomLinkLeadMinutes }], now);
    return { result: created.id, changes: [{ kind: 'ADDED', sessionId: created.id, sessionNumber: data.number, title: data.title, fields: [] }] };
  });
}

/**
 * Changes a session. More seats go to the first ones waiting, in the same transaction; fewer seats
 * take no confirmed seat back, they only stop new confirmations until enough are cancelled.
 */
export async function updateSession({ id, mechanismTypeId, ...input }: WriteInput<'id'> & { mechanismTypeId?: GlobalID | null }, now = new Date()): Promise<string> {
  const { translations, ...given } = parseInput(sessionFields.partial(), input, 'input');
  return writeEventContent(await eventOfSession(id.id), async (tx, event, boss) => {
    // Locked before its seats are read, as registrations lock it before taking a seat.
    await lockSessions(tx, [id.id]);
    const current = await found(tx.session.findUnique({ where: { id: id.id } }), 'session');
    const changes = {
      ...given,
      mechanismTypeId: mechanismTypeId === undefined ? undefined : (mechanismTypeId?.id ?? null),
      translations: writtenTranslations(current.translations, translations, event),
    };
    const fields = changedFields(current, changes);
    if (fields.length === 0) return { result: current.id, changes: [] };
    await checkSession(tx, event, {
      id: current.id,
      number: changes.number ?? current.number,
      startsAt: changes.startsAt ?? current.startsAt,
      endsAt: changes.endsAt ?? current.endsAt,
      mechanismTypeId: changes.mechanismTypeId,
    });
    const updated = { ...(await tx.session.update({ where: { id: current.id }, data: changes })), zoomLinkLeadMinutes: event.zoomLinkLeadMinutes };
    await seatLimitsChanged(tx, boss, current, updated, now);
    if (fields.some((field) => joinLinkFields.includes(field))) await scheduleJoinLinks(tx, boss, [updated], now);
    return { result: current.id, changes: [sessionChanged(updated, fields)] };
  });
}

/** Deletes a session with its parts and roles, unless someone is registered for it. Returns the event it was part of. */
export async function deleteSession(id: string): Promise<string> {
  return writeEventContent(await eventOfSession(id), async (tx, event) => {
    // Locked as registrations lock it before taking a seat: none can slip in before the delete.
    await lockSessions(tx, [id]);
    const session = await found(tx.session.findUnique({ where: { id } }), 'session');
    const registered = await tx.sessionRegistration.count({ where: { sessionId: id, status: { not: 'CANCELLED' } } });
    if (registered > 0) throw new ConflictError(`Session ${session.number} has ${registered} registrations; cancel them, or move the session instead.`);
    await tx.session.delete({ where: { id } });
    return { result: event.id, changes: [{ kind: 'REMOVED', sessionNumber: session.number, title: session.title, fields: [] }] };
  });
}

export const SessionPayload = entityWrites(Session, {
  translations: sessionTranslations,
  updating: 'More seats confirm the first ones waiting.',
  createOnly: (t) => ({ eventId: t.globalID({ required: true, for: Event }) }),
  fields: (t, creating) => ({
    number: t.int({ required: creating, description: 'Unique in the event.' }),
    title: t.string({ required: creating }),
    description: t.string(),
    startsAt: t.field({ type: 'DateTime', required: creating, description: 'Within the event.' }),
    endsAt: t.field({ type: 'DateTime', required: creating }),
    format: t.field({ type: SessionFormatEnum }),
    mechanismTypeId: t.globalID({ for: MechanismType }),
    roomSeats: t.int({ description: 'Seats in the room; no limit when null.' }),
    remoteSeats: t.int({ description: 'Seats online; no limit when null.' }),
    zoomJoinUrl: t.string({ description: 'Private: shown only to confirmed remote participants, from the release time.' }),
  }),
  create: { description: 'Adds a session to an event, published as a schedule change.', write: createSession },
  update: { write: updateSession },
  delete: { refusals: [NotFoundError, ConflictError], description: 'Deletes a session with its parts and panelist roles; refused while anyone is registered for it.', write: deleteSession },
});

