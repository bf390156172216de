import { ForbiddenError } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { bearerToken, type AdminPrincipal } from './admin-tokens.js';
import { manageTokenHashFor } from './registrant-keys.js';

/**
 * Who may look a registration up by its ID (`node(id:)`): an admin with READ_REGISTRATIONS, or a
 * request whose bearer token is that registration's manage token. Anyone else is refused before
 * anything is read, so an ID alone tells nothing, not even whether it exists.
 */
export async function registrationByIdWhere(id: string, ctx: { request: Request; admin: () => Promise<AdminPrincipal | null> }): Promise<Prisma.RegistrationWhereUniqueInput> {
  const admin = await ctx.admin();
  if (admin?.scopes.includes('READ_REGISTRATIONS')) return { id };
  const token = bearerToken(ctx.request.headers.get('authorization'));
  if (token && !admin) return { id, manageTokenHash: await manageTokenHashFor(token) };
  throw new ForbiddenError('A registration is read with its manage token (Authorization: Bearer <manageToken>) or an admin token with READ_REGISTRATIONS.');
}
