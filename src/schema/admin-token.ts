import { AdminScope } from '../generated/prisma/enums.js';
import { prisma } from '../db/client.js';
import { builder } from './builder.js';

export const AdminScopeEnum = builder.enumType(AdminScope, {
  name: 'AdminScope',
  description: 'WRITE_EVENTS: create, change and import events. READ_REGISTRATIONS: list and export registrations. MANAGE_TOKENS: issue and revoke admin tokens. REVIEW_REGISTRATIONS: approve and decline requests to attend in a mode that needs approval. READ_AUDIT: read the audit log.',
});

export const AdminTokenRef = builder.prismaNode('AdminToken', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { manageTokens: true },
  description: 'An API token for scripts. The secret itself is shown once, when issued.',
  fields: (t) => ({
    name: t.exposeString('name'),
    scopes: t.expose('scopes', { type: [AdminScopeEnum] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const IssuedAdminToken = builder.objectRef<{ token: string; record: { id: string } }>('IssuedAdminToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret, shown this once: send it as `Authorization: Bearer <token>`.' }),
    adminToken: t.prismaField({
      type: AdminTokenRef,
      resolve: (query, issued, _args, _ctx) => prisma.adminToken.findUniqueOrThrow({ ...query, where: { id: issued.record.id } }),
    }),
  }),
});
