import type { Session as SessionRow } from '../generated/prisma/client.js';
import { SessionFormat } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { Part } from './part.js';
import { translatedFields, translationTypes, type Owner } from './translation.js';

/** Sessions, breaks, panelists and documents: their text follows their event's languages. */
export const eventOf: Owner<{ eventId: string }> = (row) => row.eventId;
export const sessionTranslations = translationTypes('Session');
export const sessionText = translatedFields<Pick<SessionRow, 'eventId' | 'title' | 'description' | 'translations'>>(eventOf);

export const SessionFormatEnum = builder.enumType(SessionFormat, {
  name: 'SessionFormat',
  description: 'PANEL: a panel discussion; INTERACTIVE: a discussion among participants; MIXED: both.',
});

export const Session = builder.prismaNode('Session', {
  id: { field: 'id' },
  // Only the columns the type shows: the full agenda loads hundreds of sessions at once, and their
  // other columns (seats, join link, sequence, keys) doubled the database's work for it. Fields
  // that need one of those select it themselves. The scalar fields read the loaded row rather than
  // `t.expose*`, which in select mode looks every value up by its response path, row by row.
  select: { id: true, eventId: true, number: true, title: true, description: true, translations: true, startsAt: true, endsAt: true, format: true },
  nullable: true,
  fields: (t) => ({
    number: t.int({ resolve: (session) => session.number }),
    title: t.string(sessionText.of('title')),
    titleLanguage: t.field(sessionText.languageOf('title', 'required')),
    description: t.string({ nullable: true, ...sessionText.of('description') }),
    descriptionLanguage: t.field(sessionText.languageOf('description')),
    translations: t.field(sessionTranslations.field()),
    startsAt: t.field({ type: 'DateTime', resolve: (session) => session.startsAt }),
    endsAt: t.field({ type: 'DateTime', resolve: (session) => session.endsAt }),
    format: t.field({ type: SessionFormatEnum, nullable: true, resolve: (session) => session.format }),
    event: t.relation('event'),
    mechanismType: t.relation('mechanismType', {
      nullable: true,
      description: 'The type of grievance mechanism the session focuses on, if any.',
    }),
    parts: t.field({
      type: [Part],
      description: 'Its parts, in order.',
      select: (_args, _context, nestedSelection) => ({ parts: nestedSelection({ orderBy: { position: 'asc' } }) }),
      // The parts' text follows this session's event: said here rather than read with each part.
      resolve: (session, _args, { languages }) => {
        languages.sessionIn(session.id, session.eventId);
        return session.parts;
      },
    }),
    panelists: t.relation('panelists', {
      description: 'Everyone with a role in the session, including those in one of its parts.',
      query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
    }),
  }),
});
