import { PanelistRole } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

const PanelistRoleEnum = builder.enumType(PanelistRole, { name: 'PanelistRole' });

export const Panelist = builder.prismaNode('Panelist', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    affiliation: t.exposeString('affiliation', { nullable: true }),
    bio: t.exposeString('bio', { nullable: true }),
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
