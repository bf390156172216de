import { prisma } from '../db/client.js';
import { AdminScopeEnum, AdminTokenRef, IssuedAdminToken } from '../schema/admin-token.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { builder } from '../schema/builder.js';
import { issueAdminToken, revokeAdminToken } from '../rules/admin-tokens.js';
import { actingAs } from '../db/audit.js';
import { actorOf, adminMutation } from './admin-writes.js';
import { raisingOnly } from './refusals.js';

const CreateAdminTokenInput = builder.inputType('CreateAdminTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Who or what uses the token, for example "seed script".' }),
    scopes: t.field({ type: [AdminScopeEnum], required: true }),
  }),
});

adminMutation('createAdminToken', {
  input: CreateAdminTokenInput,
  payload: IssuedAdminToken,
  refusals: [ValidationError],
  scopes: { manageTokens: true },
  write: async (input, context) => issueAdminToken(input.name, input.scopes, (await context.admin())!),
});

// Takes an ID rather than an input, as it did before inputs were the rule: kept so clients don't break.
const revoking = [ForbiddenError, NotFoundError];
builder.mutationField('revokeAdminToken', (t) =>
  t.prismaField({
    type: AdminTokenRef,
    authScopes: { manageTokens: true },
    args: { id: t.arg.globalID({ required: true, for: AdminTokenRef }) },
    errors: { types: revoking },
    resolve: (query, _root, { id }, context) =>
      raisingOnly('revokeAdminToken', revoking, async () => {
        const admin = (await context.admin())!;
        await actingAs(actorOf(admin), () => revokeAdminToken(id.id, admin));
        return prisma.adminToken.findUniqueOrThrow({ ...query, where: { id: id.id } });
      }),
  }),
);
