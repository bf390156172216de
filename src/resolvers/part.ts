import { z } from 'zod';
import { prisma } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { Part, partTranslations } from '../schema/part.js';
import { Session } from '../schema/session.js';
import { entityWrites, type WriteInput } from './admin-writes.js';
import { contentChanges, found, usedOnce, writeEventContent } from './event.js';
import { optionalText, parseInput } from '../rules/input-fields.js';
import { translationList, writtenTranslations } from '../rules/translation-input.js';
import { partChangeFields } from './schedule.js';
import { eventOfSession, sessionChanged } from './session.js';

const partFields = z.object({
  position: z.number().int().positive(),
  title: optionalText,
  description: optionalText,
  translations: translationList('Part').optional(),
});

/** Positions order a session's parts: each is used once (a taken one is a ValidationError on input.position). */
function checkPosition(tx: Prisma.TransactionClient, part: { id?: string; sessionId: string; position: number }): Promise<void> {
  return usedOnce(tx.part.count({ where: { sessionId: part.sessionId, position: part.position, id: part.id ? { not: part.id } : undefined } }), 'position', 'part of the session');
}

/** The event of a part's session, whose lock a write to the part takes. */
async function eventOfPart(id: string): Promise<string> {
  return (await found(prisma.part.findUnique({ where: { id }, select: { session: { select: { eventId: true } } } }), 'part')).session.eventId;
}

export async function createPart({ sessionId, ...input }: WriteInput<'sessionId'>): Promise<string> {
  const data = parseInput(partFields, input, 'input');
  return writeEventContent(await eventOfSession(sessionId.id), async (tx, event) => {
    const session = await found(tx.session.findUnique({ where: { id: sessionId.id } }), 'session');
    await checkPosition(tx, { sessionId: session.id, ...data });
    const { id } = await tx.part.create({ data: { ...data, translations: writtenTranslations({}, data.translations, event), sessionId: session.id } });
    return { result: id, changes: [sessionChanged(session, ['parts'])] };
  });
}

export async function updatePart({ id, ...input }: WriteInput<'id'>): Promise<string> {
  const { translations, ...given } = parseInput(partFields.partial(), input, 'input');
  return writeEventContent(await eventOfPart(id.id), async (tx, event) => {
    const current = await found(tx.part.findUnique({ where: { id: id.id }, include: { session: true } }), 'part');
    const { changes, fields } = contentChanges(current, given, translations, event);
    if (fields.length === 0) return { result: current.id, changes: [] };
    if (changes.position !== undefined) await checkPosition(tx, { id: current.id, sessionId: current.sessionId, position: changes.position });
    await tx.part.update({ where: { id: current.id }, data: changes });
    return { result: current.id, changes: [sessionChanged(current.session, partChangeFields([{ kind: 'CHANGED', fields }]))] };
  });
}

/** Deletes a part with the roles held in it. Returns the event it was part of. */
export async function deletePart(id: string): Promise<string> {
  return writeEventContent(await eventOfPart(id), async (tx, event) => {
    const part = await found(tx.part.findUnique({ where: { id }, include: { session: true, _count: { select: { panelists: true } } } }), 'part');
    await tx.part.delete({ where: { id } });
    return { result: event.id, changes: [sessionChanged(part.session, part._count.panelists ? ['parts', 'panelists'] : ['parts'])] };
  });
}

entityWrites(Part, {
  translations: partTranslations,
  createOnly: (t) => ({ sessionId: t.globalID({ required: true, for: Session }) }),
  fields: (t, creating) => ({
    position: t.int({ required: creating, description: 'Order in the session, from 1; unique in the session.' }),
    title: t.string(),
    description: t.string(),
  }),
  create: { description: 'Adds a part to a session, published as a change to the session.', write: createPart },
  update: { write: updatePart },
  delete: { description: 'Deletes a part with the panelist roles held in it.', write: deletePart },
});

