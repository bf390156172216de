import { z } from 'zod';
import { prisma } from '../db/client.js';
import { DocumentKind, DocumentStatus, type Prisma } from '../generated/prisma/client.js';
import { Document, documentTranslations } from '../schema/document.js';
import { Event } from '../schema/event.js';
import { entityWrites, type WriteInput } from './admin-writes.js';
import { contentChanges, found, usedOnce, writeEventContent } from './event.js';
import { parseInput, text, webUrl } from '../rules/input-fields.js';
import { translationList, writtenTranslations } from '../rules/translation-input.js';

const documentFields = z.object({
  title: text,
  kind: z.enum(DocumentKind),
  status: z.enum(DocumentStatus).nullish(),
  url: webUrl,
  position: z.number().int().min(0).optional(),
  translations: translationList('Document').optional(),
});

/** Titles tell an event's documents apart (seed files match them by title): each is used once. */
function checkTitle(tx: Prisma.TransactionClient, document: { id?: string; eventId: string; title: string }): Promise<void> {
  return usedOnce(tx.document.count({ where: { eventId: document.eventId, title: document.title, id: document.id ? { not: document.id } : undefined } }), 'title', 'document of the event');
}

async function eventOfDocument(id: string): Promise<string> {
  return (await found(prisma.document.findUnique({ where: { id }, select: { eventId: true } }), 'document')).eventId;
}

// Documents are not part of the schedule: their writes publish no schedule change, only drop cached answers.

export async function createDocument({ eventId, ...input }: WriteInput<'eventId'>): Promise<string> {
  const data = parseInput(documentFields, input, 'input');
  return writeEventContent(eventId.id, async (tx, event) => {
    await checkTitle(tx, { eventId: event.id, title: data.title });
    const { _max } = await tx.document.aggregate({ where: { eventId: event.id }, _max: { position: true } });
    const translations = writtenTranslations({}, data.translations, event);
    const { id } = await tx.document.create({ data: { ...data, translations, eventId: event.id, position: data.position ?? (_max.position ?? -1) + 1 } });
    return { result: id, changes: [] };
  });
}

export async function updateDocument({ id, ...input }: WriteInput<'id'>): Promise<string> {
  const { translations, ...given } = parseInput(documentFields.partial(), input, 'input');
  return writeEventContent(await eventOfDocument(id.id), async (tx, event) => {
    const current = await found(tx.document.findUnique({ where: { id: id.id } }), 'document');
    const { changes, fields } = contentChanges(current, given, translations, event);
    if (fields.length === 0) return { result: current.id, changes: [] };
    if (changes.title !== undefined) await checkTitle(tx, { id: current.id, eventId: current.eventId, title: changes.title });
    await tx.document.update({ where: { id: current.id }, data: changes });
    return { result: current.id, changes: [] };
  });
}

/** Returns the event the document was part of. */
export async function deleteDocument(id: string): Promise<string> {
  return writeEventContent(await eventOfDocument(id), async (tx, event) => {
    await found(tx.document.findUnique({ where: { id } }), 'document');
    await tx.document.delete({ where: { id } });
    return { result: event.id, changes: [] };
  });
}

entityWrites(Document, {
  translations: documentTranslations,
  createOnly: (t) => ({ eventId: t.globalID({ required: true, for: Event }) }),
  fields: (t, creating) => ({
    title: t.string({ required: creating, description: 'Unique in the event.' }),
    kind: t.field({ type: DocumentKind, required: creating }),
    status: t.field({ type: DocumentStatus }),
    url: t.string({ description: 'An http(s) address; null until the organizer publishes one.' }),
    position: t.int({ description: 'Place in the event\'s list of documents, from 0; last when left out.' }),
  }),
  create: { write: createDocument },
  update: { write: updateDocument },
  delete: { write: deleteDocument },
});

