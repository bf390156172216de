import { SessionFormat } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

export const SessionFormatEnum = builder.enumType(SessionFormat, {
  name: 'SessionFormat',
  description: 'PANEL: a panel discussion; INTERACTIVE: a discussion among participants; MIXED: both.',
});

export const Session = builder.prismaNode('Session', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    number: t.exposeInt('number'),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    format: t.expose('format', { type: SessionFormatEnum, nullable: true }),
    event: t.relation('event'),
    mechanismType: t.relation('mechanismType', {
      nullable: true,
      description: 'The type of grievance mechanism the session focuses on, if any.',
    }),
    parts: t.relation('parts', { query: { orderBy: { position: 'asc' } } }),
    panelists: t.relation('panelists', {
      description: 'Everyone with a role in the session, including those in one of its parts.',
      query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
    }),
  }),
});
