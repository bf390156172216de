import type { Session as SessionRow } from '../generated/prisma/client.js';
import type { AgendaDay as AgendaDayOf, AgendaItem as AgendaItemOf } from '../resolvers/agenda.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from './builder.js';
import { Session } from './session.js';

const AgendaItemKind = builder.enumType('AgendaItemKind', { values: ['SESSION', 'BREAK'] as const });

builder.prismaNode('Break', {
  id: { field: 'id' },
  nullable: true,
  description: 'A pause between sessions; it can\'t be registered for.',
  fields: (t) => ({
    title: t.exposeString('title'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
  }),
});

const AgendaItem = builder.objectRef<AgendaItemOf<SessionRow>>('AgendaItem').implement({
  fields: (t) => ({
    id: t.id({
      description: 'The session\'s or the break\'s ID.',
      resolve: (item) => (item.kind === 'SESSION' ? encodeGlobalID('Session', item.session.id) : encodeGlobalID('Break', item.breakId)),
    }),
    kind: t.field({ type: AgendaItemKind, resolve: (item) => item.kind }),
    title: t.exposeString('title'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    session: t.field({ type: Session, nullable: true, resolve: (item) => item.session }),
  }),
});

export const AgendaDay = builder.objectRef<AgendaDayOf<SessionRow>>('AgendaDay').implement({
  fields: (t) => ({
    date: t.expose('date', { type: 'LocalDate', description: 'The day in the event\'s time zone.' }),
    items: t.field({ type: [AgendaItem], resolve: (day) => day.items }),
  }),
});
