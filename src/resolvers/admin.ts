import { prisma } from '../db/client.js';
import { AdminScopeEnum, AdminTokenRef, IssuedAdminToken } from '../schema/admin-token.js';
import { builder } from '../schema/builder.js';
import { issueAdminToken, revokeAdminToken } from '../rules/admin-tokens.js';

const CreateAdminTokenInput = builder.inputType('CreateAdminTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Who or what uses the token, for example "seed script".' }),
    scopes: t.field({ type: [AdminScopeEnum], required: true }),
  }),
});

builder.mutationFields((t) => ({
  createAdminToken: t.field({
    type: IssuedAdminToken,
    authScopes: { manageTokens: true },
    args: { input: t.arg({ type: CreateAdminTokenInput, required: true }) },
    errors: {},
    resolve: async (_root, { input }, ctx) => issueAdminToken(input.name, input.scopes, (await ctx.admin())!),
  }),
  revokeAdminToken: t.prismaField({
    type: AdminTokenRef,
    authScopes: { manageTokens: true },
    args: { id: t.arg.globalID({ required: true, for: AdminTokenRef }) },
    errors: {},
    resolve: async (query, _root, { id }, ctx) => {
      await revokeAdminToken(id.id, (await ctx.admin())!);
      return prisma.adminToken.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
}));
