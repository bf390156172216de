import { builder } from './builder.js';
import type { Part as PartRow } from '../generated/prisma/client.js';
import { translatedFields, translationTypes } from './translation.js';

/** A part's text follows its session's event's languages. */
const text = translatedFields<PartRow>((part, languages) => languages.eventOfSession(part.sessionId));
export const partTranslations = translationTypes('Part');

export const Part = builder.prismaNode('Part', {
  id: { field: 'id' },
  nullable: true,
  description: 'A part of a session, in the order the agenda gives.',
  fields: (t) => ({
    position: t.exposeInt('position'),
    title: t.string({ nullable: true, ...text.of('title'), description: 'Its own title, if it has one (null otherwise: Session.title is never null, so alias one of them where a query selects both).' }),
    titleLanguage: t.field(text.languageOf('title')),
    description: t.string({ nullable: true, ...text.of('description') }),
    descriptionLanguage: t.field(text.languageOf('description')),
    translations: t.field(partTranslations.field()),
    session: t.relation('session', { description: 'The session it is part of: always one, where AgendaItem.session is null for a break, so alias one of them where a query selects both.' }),
    panelists: t.relation('panelists', { query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] } }),
  }),
});
