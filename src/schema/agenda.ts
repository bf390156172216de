import type { Break as BreakRow, Session as SessionRow } from '../generated/prisma/client.js';
import { agendaItemKey, loadAgendaItems, type AgendaDay as AgendaDayOf, type AgendaItem as AgendaItemOf } from '../rules/agenda.js';
import { builder } from './builder.js';
import { eventOf, Session } from './session.js';
import { langArgs, textIn, translatedFields, translationTypes } from './translation.js';

export const breakTranslations = translationTypes('Break');
const text = translatedFields<BreakRow>(eventOf);

const AgendaItemKind = builder.enumType('AgendaItemKind', { values: ['SESSION', 'BREAK'] as const });

const Break = builder.prismaNode('Break', {
  id: { field: 'id' },
  nullable: true,
  description: 'A pause between sessions; it can\'t be registered for.',
  fields: (t) => ({
    title: t.string(text.of('title')),
    titleLanguage: t.field(text.languageOf('title', 'required')),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    translations: t.field(breakTranslations.field()),
  }),
});

const AgendaItem = builder.node(builder.objectRef<AgendaItemOf<SessionRow, BreakRow>>('AgendaItem'), {
  description:
    'A session or a break as the agenda lists it. Its `id` is its own, not its session\'s or break\'s: an ID names one object of one type, as Relay requires, and `node(id:)` finds the item by it. `session` or `break` is what it shows, with their own IDs (register with `session { id }`).',
  id: { resolve: agendaItemKey },
  loadMany: loadAgendaItems,
  fields: (t) => ({
    kind: t.field({ type: AgendaItemKind, resolve: (item) => item.kind }),
    title: t.string({
      description: 'The title of its session or break.',
      args: langArgs,
      resolve: (item, { lang }, context) => textIn(item.session ?? item.break, 'title', eventOf, context, lang, (text) => text.value),
    }),
    titleLanguage: t.field({
      type: 'Locale',
      description: 'The language `title` is in (BCP 47) when asked with the same `lang`: the one asked for, or the default language where it has no text in that one.',
      args: langArgs,
      resolve: (item, { lang }, context) => textIn(item.session ?? item.break, 'title', eventOf, context, lang, (text) => text.language),
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    session: t.field({ type: Session, nullable: true, description: 'The session, for a SESSION item; null for a break (Part.session, never null, differs: alias one of them where a query selects both).', resolve: (item) => item.session }),
    break: t.field({ type: Break, nullable: true, description: 'The break, for a BREAK item.', resolve: (item) => item.break }),
  }),
});

export const AgendaDay = builder.objectRef<AgendaDayOf<SessionRow, BreakRow>>('AgendaDay').implement({
  fields: (t) => ({
    date: t.expose('date', { type: 'LocalDate', description: 'The day in the event\'s time zone.' }),
    items: t.field({ type: [AgendaItem], resolve: (day) => day.items }),
  }),
});
