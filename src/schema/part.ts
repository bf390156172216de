import { builder } from './builder.js';
import type { Part as PartRow } from '../generated/prisma/client.js';
import { translatedFields, translationTypes } from './translation.js';

/** A part's text follows its session's event's languages. */
const text = translatedFields<Pick<PartRow, 'sessionId' | 'title' | 'description' | 'translations'>, 'sessionId'>((part, languages) => languages.eventOfSession(part.sessionId), ['sessionId']);
export const partTranslations = translationTypes('Part');

export const Part = builder.prismaNode('Part', {
  id: { field: 'id' },
  // Each field selects what it reads: the translations only for a request that names a language.
  select: { id: true },
  nullable: true,
  description: 'A part of a session, in the order the agenda gives.',
  fields: (t) => ({
    position: t.exposeInt('position'),
    title: t.string({ nullable: true, ...text.of('title') }),
    titleLanguage: t.field(text.languageOf('title')),
    description: t.string({ nullable: true, ...text.of('description') }),
    descriptionLanguage: t.field(text.languageOf('description')),
    translations: t.field(partTranslations.field()),
    session: t.relation('session'),
    panelists: t.relation('panelists', { query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] } }),
  }),
});
