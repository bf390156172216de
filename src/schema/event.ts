import { encodeGlobalID } from '@pothos/plugin-relay';
import { LRUCache } from 'lru-cache';
import type { Event as EventRow, Session as SessionRow } from '../generated/prisma/client.js';
import { EventFormat, EventStatus, MechanismTypeCode } from '../generated/prisma/enums.js';
import { buildAgenda } from '../rules/agenda.js';
import { missingTranslations, translatableFields, type Translatable, type TranslatableType } from '../rules/translation.js';
import { AgendaDay } from './agenda.js';
import { builder } from './builder.js';
import { MechanismTypeCodeEnum } from './mechanism-type.js';
import { AttendanceModeEnum } from './registration.js';
import { translatedFields, translationTypes } from './translation.js';

export const EventStatusEnum = builder.enumType(EventStatus, { name: 'EventStatus' });
export const EventFormatEnum = builder.enumType(EventFormat, {
  name: 'EventFormat',
  description: 'Where participants attend: in a room, online, or both (hybrid).',
});

const Venue = builder.objectRef<{ name: string | null; room: string | null }>('Venue').implement({
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    room: t.exposeString('room', { nullable: true }),
  }),
});

/** Language names in one locale, each looked up once: `Intl.DisplayNames.of` costs more than the rest of the field. */
function namesIn(locale: string): (code: string) => string {
  const names = new Intl.DisplayNames([locale], { type: 'language' });
  // Codes come from events' data, not from requests: a bounded set.
  const known = new Map<string, string>();
  return (code) => {
    let name = known.get(code);
    if (name === undefined) known.set(code, (name = names.of(code) ?? code));
    return name;
  };
}

// Keyed by the caller's `locale`, which has endless spellings (`en-x-…`): the most used are kept.
const languageNames = new LRUCache<string, (code: string) => string>({ max: 200 });
const Language = builder.objectRef<string>('Language').implement({
  description: 'A language offered by the event, for example for interpretation.',
  fields: (t) => ({
    code: t.field({ type: 'Locale', description: 'BCP 47 tag, for example `es`.', resolve: (code) => code }),
    name: t.string({
      description: 'The language\'s name, in the language of `locale` (English by default).',
      args: { locale: t.arg({ type: 'Locale', required: true, defaultValue: 'en' }) },
      resolve: (code, { locale }) => {
        let nameOf = languageNames.get(locale);
        if (!nameOf) languageNames.set(locale, (nameOf = namesIn(locale)));
        return nameOf(code);
      },
    }),
  }),
});

const MissingTranslation = builder
  .objectRef<{ language: string; typename: TranslatableType; id: string; field: string }>('MissingTranslation')
  .implement({
    description: 'A field with text in the event\'s default language and none in one of its other content languages.',
    fields: (t) => ({
      language: t.field({ type: 'Locale', resolve: (missing) => missing.language }),
      typename: t.string({ description: 'The type of what lacks it: `Event`, `Session`, `Part`, `Break`, `Panelist`, `Document` or `MechanismType`.', resolve: (missing) => missing.typename }),
      itemId: t.id({ description: 'Its global ID, for `node(id:)` and the update mutations.', resolve: (missing) => encodeGlobalID(missing.typename, missing.id) }),
      field: t.string({ resolve: (missing) => missing.field }),
    }),
  });

/** The event's own text follows its own languages. */
const text = translatedFields<EventRow>((event) => event);
export const eventTranslations = translationTypes('Event');

/** Everything of the event a translation may lack, loaded with the event itself. */
const contentSelect = {
  sessions: {
    select: {
      id: true,
      title: true,
      description: true,
      translations: true,
      mechanismType: { select: { id: true, name: true, description: true, examples: true, defaultLanguage: true, translations: true } },
      parts: { select: { id: true, title: true, description: true, translations: true } },
    },
  },
  breaks: { select: { id: true, title: true, translations: true } },
  panelists: { select: { id: true, affiliation: true, bio: true, translations: true } },
  documents: { select: { id: true, title: true, url: true, translations: true } },
} as const;

export const Event = builder.prismaNode('Event', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.string(text.of('title')),
    titleLanguage: t.field(text.languageOf('title', 'required')),
    organizer: t.exposeString('organizer'),
    status: t.expose('status', { type: EventStatusEnum }),
    summary: t.string({ nullable: true, ...text.of('summary') }),
    summaryLanguage: t.field(text.languageOf('summary')),
    background: t.string({ nullable: true, ...text.of('background') }),
    backgroundLanguage: t.field(text.languageOf('background')),
    mandate: t.string({ nullable: true, ...text.of('mandate') }),
    mandateLanguage: t.field(text.languageOf('mandate')),
    approvalRequiredFor: t.field({
      type: [AttendanceModeEnum],
      description: 'The ways of attending whose registrations wait for an admin\'s approval (PENDING) before they hold a seat; empty when none do.',
      resolve: (event) => event.approvalRequiredFor,
    }),
    approvalInstructions: t.string({
      nullable: true,
      description: 'What an approved registrant does next (how to collect the grounds pass): the approval mail gives it.',
      ...text.of('approvalInstructions'),
    }),
    approvalInstructionsLanguage: t.field(text.languageOf('approvalInstructions')),
    defaultLanguage: t.field({
      type: 'Locale',
      description: 'The language of the event\'s own text: shown wherever a translation is missing.',
      resolve: (event) => event.defaultLanguage,
    }),
    contentLanguages: t.field({
      type: [Language],
      description: 'The languages its content is offered in, the default among them. Ask for one with a translated field\'s `lang` argument (`title(lang: "fr")`) or Accept-Language.',
      resolve: (event) => event.contentLanguages,
    }),
    translations: t.field(eventTranslations.field()),
    missingTranslations: t.field({
      type: [MissingTranslation],
      nullable: true,
      authScopes: { writeEvents: true },
      description: 'What has text in the default language and none in one of the other content languages, for admins (a WRITE_EVENTS token).',
      select: contentSelect,
      resolve: (event) => {
        const missing = (typename: TranslatableType, row: Translatable & { id: string }, defaultLanguage = event.defaultLanguage) =>
          missingTranslations(row, translatableFields[typename], event.contentLanguages, defaultLanguage).map((gap) => ({ ...gap, typename, id: row.id }));
        const mechanismTypes = new Map(event.sessions.flatMap((session) => (session.mechanismType ? [[session.mechanismType.id, session.mechanismType]] : [])));
        return [
          ...missing('Event', event),
          ...event.sessions.flatMap((session) => [...missing('Session', session), ...session.parts.flatMap((part) => missing('Part', part))]),
          ...event.breaks.flatMap((row) => missing('Break', row)),
          ...event.panelists.flatMap((row) => missing('Panelist', row)),
          ...event.documents.flatMap((row) => missing('Document', row)),
          ...[...mechanismTypes.values()].flatMap((type) => missing('MechanismType', type, type.defaultLanguage)),
        ];
      },
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    timeZone: t.expose('timeZone', {
      type: 'TimeZone',
      description: 'IANA time zone of the venue: render `startsAt`/`endsAt` in it to show local times.',
    }),
    venue: t.field({
      type: Venue,
      nullable: true,
      resolve: (event) => (event.venueName || event.venueRoom ? { name: event.venueName, room: event.venueRoom } : null),
    }),
    format: t.expose('format', { type: EventFormatEnum }),
    onlinePlatform: t.exposeString('onlinePlatform', { nullable: true }),
    interpretationLanguages: t.field({ type: [Language], resolve: (event) => event.interpretationLanguages }),
    registrationUrl: t.expose('registrationUrl', { type: 'URL', nullable: true }),
    registrationRequired: t.exposeBoolean('registrationRequired', {
      description: 'Whether every participant, in person or remote, must register.',
    }),
    sessions: t.relatedConnection('sessions', {
      cursor: 'id',
      totalCount: true,
      args: { mechanismType: t.arg({ type: MechanismTypeCodeEnum, required: false }) },
      query: ({ mechanismType }) => ({
        where: mechanismType ? { mechanismType: { code: mechanismType as MechanismTypeCode } } : {},
        orderBy: [{ startsAt: 'asc' }, { number: 'asc' }],
      }),
    }),
    agenda: t.field({
      type: [AgendaDay],
      description: 'Sessions and breaks grouped by day in the event\'s time zone, in time order.',
      args: { day: t.arg({ type: 'LocalDate', required: false, description: 'Only this day (in the event\'s time zone).' }) },
      select: (_args, _ctx, nestedSelection) => {
        // Load sessions with what the query asks of `items.session`, plus what an item shows
        // even when `session` itself isn't asked for.
        const sessions = nestedSelection({ orderBy: [{ startsAt: 'asc' }, { number: 'asc' }] }, ['items', 'session'], 'Session');
        const itemFields = { id: true, title: true, startsAt: true, endsAt: true, eventId: true, translations: true } as const;
        return {
          timeZone: true,
          breaks: true,
          sessions: 'select' in sessions && sessions.select ? { ...sessions, select: { ...sessions.select, ...itemFields } } : sessions,
        };
      },
      resolve: (event, { day }) => buildAgenda(event.timeZone, event.sessions as SessionRow[], event.breaks, day ?? undefined),
    }),
    documents: t.relation('documents', { query: { orderBy: { position: 'asc' } } }),
    revision: t.exposeInt('revision', { description: 'Rises by one with every published change to the schedule.' }),
    changes: t.relatedConnection('scheduleChanges', {
      description:
        'What moved in the schedule, newest first. Its nodes are not `Node`s, and have no `id`: a change is an entry in the event\'s log that never changes once published, named by its `revision` within the event, so there is nothing to refetch by ID; a normalized cache keeps each entry under the connection.',
      cursor: 'id',
      args: { sinceRevision: t.arg.int({ required: false, description: 'Only changes published after this revision.' }) },
      query: ({ sinceRevision }) => ({
        where: sinceRevision == null ? {} : { revision: { gt: sinceRevision } },
        orderBy: [{ revision: 'desc' }, { id: 'asc' }],
      }),
    }),
    panelists: t.relatedConnection('panelists', {
      cursor: 'id',
      totalCount: true,
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
  }),
});
