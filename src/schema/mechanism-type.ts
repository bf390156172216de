import { MechanismTypeCode } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

export const MechanismTypeCodeEnum = builder.enumType(MechanismTypeCode, {
  name: 'MechanismTypeCode',
  description: 'The three categories of grievance mechanism of the access to remedy pillar of the UNGPs.',
});

export const MechanismType = builder.prismaNode('MechanismType', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    code: t.expose('code', { type: MechanismTypeCodeEnum }),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    examples: t.exposeStringList('examples', { description: 'Forms the mechanism may take.' }),
    sessions: t.relatedConnection('sessions', {
      cursor: 'id',
      totalCount: true,
      query: { orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] },
    }),
  }),
});
