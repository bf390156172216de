import { builder } from './builder.js';
import type { Part as PartRow } from '../generated/prisma/client.js';
import { translatedFields, translationTypes } from './translation.js';

/** A part's text follows its session's event's languages. */
const text = translatedFields<PartRow & { session: { eventId: string } }>((part) => part.session.eventId);
// Parts have no event of their own: the session's, read with the part.
const withEvent = { session: { select: { eventId: true } } } as const;
export const partTranslations = translationTypes('Part');

export const Part = builder.prismaNode('Part', {
  id: { field: 'id' },
  nullable: true,
  description: 'A part of a session, in the order the agenda gives.',
  fields: (t) => ({
    position: t.exposeInt('position'),
    title: t.string({ nullable: true, select: withEvent, ...text.of('title') }),
    titleLanguage: t.field({ select: withEvent, ...text.languageOf('title') }),
    description: t.string({ nullable: true, select: withEvent, ...text.of('description') }),
    descriptionLanguage: t.field({ select: withEvent, ...text.languageOf('description') }),
    translations: t.field(partTranslations.field()),
    session: t.relation('session'),
    panelists: t.relation('panelists', { query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] } }),
  }),
});
