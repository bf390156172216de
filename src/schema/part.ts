import { builder } from './builder.js';

export const Part = builder.prismaNode('Part', {
  id: { field: 'id' },
  nullable: true,
  description: 'A part of a session, in the order the agenda gives.',
  fields: (t) => ({
    position: t.exposeInt('position'),
    title: t.exposeString('title', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    session: t.relation('session'),
    panelists: t.relation('panelists', { query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] } }),
  }),
});
