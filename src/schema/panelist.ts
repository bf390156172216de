import type { Panelist as PanelistRow } from '../generated/prisma/client.js';
import { PanelistRole } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { eventOf } from './session.js';
import { translatedFields, translationTypes } from './translation.js';

export const panelistTranslations = translationTypes('Panelist');
// Each translated field selects its own column, its event and the translations.
const affiliation = { select: { affiliation: true, eventId: true, translations: true } } as const;
const bio = { select: { bio: true, eventId: true, translations: true } } as const;
const affiliationText = translatedFields<Pick<PanelistRow, 'eventId' | 'affiliation' | 'translations'>>(eventOf);
const bioText = translatedFields<Pick<PanelistRow, 'eventId' | 'bio' | 'translations'>>(eventOf);

const PanelistRoleEnum = builder.enumType(PanelistRole, { name: 'PanelistRole' });

export const Panelist = builder.prismaNode('Panelist', {
  id: { field: 'id' },
  // A panelist shows in every role they hold, often by name alone: the other columns only where asked.
  select: { id: true, name: true },
  nullable: true,
  fields: (t) => ({
    name: t.string({ resolve: (panelist) => panelist.name }),
    affiliation: t.string({ nullable: true, ...affiliation, ...affiliationText.of('affiliation') }),
    affiliationLanguage: t.field({ ...affiliation, ...affiliationText.languageOf('affiliation') }),
    bio: t.string({ nullable: true, ...bio, ...bioText.of('bio') }),
    bioLanguage: t.field({ ...bio, ...bioText.languageOf('bio') }),
    translations: t.field({ select: { translations: true }, ...panelistTranslations.field() }),
    sessions: t.relation('sessions', {
      description: 'The panelist\'s roles, session by session.',
      query: { orderBy: [{ session: { startsAt: 'asc' } }, { id: 'asc' }] },
    }),
  }),
});

builder.prismaObject('SessionPanelist', {
  name: 'SessionRole',
  description: 'A panelist\'s role in a session, or in one part of it.',
  fields: (t) => ({
    role: t.expose('role', { type: PanelistRoleEnum }),
    panelist: t.relation('panelist'),
    session: t.relation('session'),
    part: t.relation('part', { nullable: true, description: 'The part of the session, when the role is in one part only.' }),
  }),
});
