import { prisma } from '../db/client.js';
import { builder } from '../schema/builder.js';

builder.queryFields((t) => ({
  event: t.prismaField({
    type: 'Event',
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, { slug }) => prisma.event.findUnique({ ...query, where: { slug } }),
  }),
  events: t.prismaConnection({
    type: 'Event',
    cursor: 'id',
    totalCount: () => prisma.event.count(),
    resolve: (query) => prisma.event.findMany({ ...query, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] }),
  }),
  mechanismTypes: t.prismaField({
    type: ['MechanismType'],
    resolve: (query) => prisma.mechanismType.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
}));
