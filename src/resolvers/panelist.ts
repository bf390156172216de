import { z } from 'zod';
import { prisma } from '../db/client.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { PanelistRole, type Prisma } from '../generated/prisma/client.js';
import { builder } from '../schema/builder.js';
import { Event } from '../schema/event.js';
import { Panelist, panelistTranslations } from '../schema/panelist.js';
import { Part } from '../schema/part.js';
import { Session } from '../schema/session.js';
import { adminMutation, entityWrites, type WriteInput } from './admin-writes.js';
import { contentChanges, found, usedOnce, writeEventContent } from './event.js';
import { optionalText, parseInput, text } from '../rules/input-fields.js';
import { translationList, writtenTranslations } from '../rules/translation-input.js';
import { SessionPayload, sessionChanged } from './session.js';

type Tx = Prisma.TransactionClient;

const panelistFields = z.object({ key: text, name: text, affiliation: optionalText, bio: optionalText, translations: translationList('Panelist').optional() });

/** Seed files refer to panelists by key: each is used once per event (a taken one is a ValidationError on input.key). */
function checkKey(tx: Tx, panelist: { id?: string; eventId: string; key: string }): Promise<void> {
  return usedOnce(tx.panelist.count({ where: { eventId: panelist.eventId, key: panelist.key, id: panelist.id ? { not: panelist.id } : undefined } }), 'key', 'panelist of the event');
}

async function eventOfPanelist(id: string): Promise<string> {
  return (await found(prisma.panelist.findUnique({ where: { id }, select: { eventId: true } }), 'panelist')).eventId;
}

export async function createPanelist({ eventId, ...input }: WriteInput<'eventId'>): Promise<string> {
  const data = parseInput(panelistFields, input, 'input');
  return writeEventContent(eventId.id, async (tx, event) => {
    await checkKey(tx, { eventId: event.id, key: data.key });
    const { id } = await tx.panelist.create({ data: { ...data, translations: writtenTranslations({}, data.translations, event), eventId: event.id } });
    return { result: id, changes: [] };
  });
}

/** Changes who a panelist is; their roles, the schedule's business, change with assign/unassignPanelist. */
export async function updatePanelist({ id, ...input }: WriteInput<'id'>): Promise<string> {
  const { translations, ...given } = parseInput(panelistFields.partial(), input, 'input');
  return writeEventContent(await eventOfPanelist(id.id), async (tx, event) => {
    const current = await found(tx.panelist.findUnique({ where: { id: id.id } }), 'panelist');
    const { changes, fields } = contentChanges(current, given, translations, event);
    if (fields.length === 0) return { result: current.id, changes: [] };
    if (changes.key !== undefined) await checkKey(tx, { id: current.id, eventId: current.eventId, key: changes.key });
    await tx.panelist.update({ where: { id: current.id }, data: changes });
    return { result: current.id, changes: [] };
  });
}

/** Deletes a panelist and their roles: each session they had a role in changes. Returns their event. */
export async function deletePanelist(id: string): Promise<string> {
  return writeEventContent(await eventOfPanelist(id), async (tx, event) => {
    const panelist = await found(
      tx.panelist.findUnique({ where: { id }, include: { sessions: { distinct: ['sessionId'], select: { session: true } } } }),
      'panelist',
    );
    await tx.panelist.delete({ where: { id } });
    return { result: event.id, changes: panelist.sessions.map(({ session }) => sessionChanged(session, ['panelists'])) };
  });
}

/** The session (and part) a role is in, checked to belong to the panelist's event. */
async function roleTarget(tx: Tx, input: { panelistId: { id: string }; sessionId: { id: string }; partId?: { id: string } | null }) {
  const panelist = await found(tx.panelist.findUnique({ where: { id: input.panelistId.id } }), 'panelist');
  const session = await found(tx.session.findUnique({ where: { id: input.sessionId.id } }), 'session');
  const part = input.partId ? await found(tx.part.findUnique({ where: { id: input.partId.id } }), 'part') : null;
  const issues: FieldIssue[] = [];
  if (session.eventId !== panelist.eventId) issues.push({ path: 'input.sessionId', message: 'is not a session of the panelist\'s event' });
  if (part && part.sessionId !== session.id) issues.push({ path: 'input.partId', message: 'is not a part of this session' });
  if (issues.length) throw new ValidationError(issues);
  return { session, where: { sessionId: session.id, partId: part?.id ?? null, panelistId: panelist.id } };
}

/**
 * Gives a panelist a role in a session, or in one part of it; a role they already have only moves
 * to `position`, if given. Returns the session.
 */
export async function assignPanelist(input: typeof AssignPanelistInput.$inferInput): Promise<string> {
  if (input.position != null && input.position < 0) throw new ValidationError([{ path: 'input.position', message: 'must not be negative' }]);
  return writeEventContent(await eventOfPanelist(input.panelistId.id), async (tx) => {
    const { session, where } = await roleTarget(tx, input);
    const existing = await tx.sessionPanelist.findFirst({ where: { ...where, role: input.role } });
    if (existing) {
      if (input.position == null || input.position === existing.position) return { result: session.id, changes: [] };
      await tx.sessionPanelist.update({ where: { id: existing.id }, data: { position: input.position } });
    } else {
      // Last in the session's (or the part's) list when no position is given.
      const { _max } = await tx.sessionPanelist.aggregate({ where: { sessionId: where.sessionId, partId: where.partId }, _max: { position: true } });
      await tx.sessionPanelist.create({ data: { ...where, role: input.role, position: input.position ?? (_max.position ?? -1) + 1 } });
    }
    return { result: session.id, changes: [sessionChanged(session, ['panelists'])] };
  });
}

/** Takes a role away from a panelist. Returns the session. */
export async function unassignPanelist(input: typeof UnassignPanelistInput.$inferInput): Promise<string> {
  return writeEventContent(await eventOfPanelist(input.panelistId.id), async (tx) => {
    const { session, where } = await roleTarget(tx, input);
    const { count } = await tx.sessionPanelist.deleteMany({ where: { ...where, role: input.role } });
    if (count === 0) throw new NotFoundError('The panelist has no such role in this session.');
    return { result: session.id, changes: [sessionChanged(session, ['panelists'])] };
  });
}

entityWrites(Panelist, {
  translations: panelistTranslations,
  createOnly: (t) => ({ eventId: t.globalID({ required: true, for: Event }) }),
  fields: (t, creating) => ({
    key: t.string({ required: creating, description: 'Stable key, unique in the event, by which seed files refer to the panelist.' }),
    name: t.string({ required: creating }),
    affiliation: t.string(),
    bio: t.string(),
  }),
  create: { description: 'Adds a panelist to an event; assignPanelist gives them roles.', write: createPanelist },
  update: { write: updatePanelist },
  delete: { description: 'Deletes a panelist with their roles, published as a change to each session they had a role in.', write: deletePanelist },
});

const AssignPanelistInput = builder.inputType('AssignPanelistInput', {
  fields: (t) => ({
    panelistId: t.globalID({ required: true, for: Panelist }),
    sessionId: t.globalID({ required: true, for: Session }),
    partId: t.globalID({ for: Part, description: 'The part of the session, when the role is in that part only.' }),
    role: t.field({ type: PanelistRole, required: true }),
    position: t.int({ description: 'Place in the session\'s (or the part\'s) list of panelists, from 0; last when left out.' }),
  }),
});

const UnassignPanelistInput = builder.inputType('UnassignPanelistInput', {
  fields: (t) => ({
    panelistId: t.globalID({ required: true, for: Panelist }),
    sessionId: t.globalID({ required: true, for: Session }),
    partId: t.globalID({ for: Part }),
    role: t.field({ type: PanelistRole, required: true }),
  }),
});


adminMutation('assignPanelist', {
  input: AssignPanelistInput,
  payload: SessionPayload,
  refusals: [ValidationError, NotFoundError],
  description: 'Gives a panelist a role in a session, or in one of its parts, published as a change to the session.',
  write: async (input) => ({ id: await assignPanelist(input) }),
});

adminMutation('unassignPanelist', {
  input: UnassignPanelistInput,
  payload: SessionPayload,
  refusals: [NotFoundError],
  description: 'Takes a role away from a panelist, published as a change to the session.',
  write: async (input) => ({ id: await unassignPanelist(input) }),
});
