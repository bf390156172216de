import { prisma } from '../db/client.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { AdminScope, type AuditActorKind } from '../generated/prisma/enums.js';
import { hashSecret, newSecret, sameSecret } from '../secrets.js';

// Who an admin is and what a token may do, as plain functions: the request context, the CSV export
// and the CLI use them without loading the schema.

export interface AdminPrincipal {
  /** What the audit log calls them: an issued token, ADMIN_SECRET, or a script writing to the database itself. */
  kind: Extract<AuditActorKind, 'ADMIN_TOKEN' | 'ADMIN_SECRET' | 'SYSTEM'>;
  /** The token's id. */
  id: string | null;
  /** The token's name, or ADMIN_SECRET. */
  name: string;
  scopes: AdminScope[];
}

const allScopes = Object.values(AdminScope);

/** Whoever writes to the database directly (the admin-token CLI, scripts): every scope. */
export const databaseOperator: AdminPrincipal = { kind: 'SYSTEM', id: null, name: 'database operator', scopes: allScopes };

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: string | null): string | null {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? null;
}

/**
 * The admin behind an `Authorization: Bearer <token>` header: ADMIN_SECRET has every scope (it
 * bootstraps the first tokens), an issued token has its own scopes until revoked.
 */
export async function authenticateAdmin(authorization: string | null): Promise<AdminPrincipal | null> {
  const token = bearerToken(authorization);
  if (!token) return null;
  const secret = process.env.ADMIN_SECRET;
  if (secret && sameSecret(token, secret)) return { kind: 'ADMIN_SECRET', id: null, name: 'ADMIN_SECRET', scopes: allScopes };
  const issued = await prisma.adminToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  return issued && !issued.revokedAt ? { kind: 'ADMIN_TOKEN', id: issued.id, name: issued.name, scopes: issued.scopes } : null;
}

/** A new token for `name` with `scopes`, never more than its `issuer` holds: a token can't grant itself more. */
export async function issueAdminToken(name: string, scopes: AdminScope[], issuer: AdminPrincipal) {
  if (!name.trim()) throw new ValidationError([{ path: 'input.name', message: 'must not be empty' }]);
  if (scopes.length === 0) throw new ValidationError([{ path: 'input.scopes', message: 'must name at least one scope' }]);
  const beyond = scopes.filter((scope) => !issuer.scopes.includes(scope));
  if (beyond.length) throw new ForbiddenError(`A token can only grant scopes its issuer holds; this one lacks ${[...new Set(beyond)].join(', ')}.`);
  const token = newSecret('evt');
  // In a transaction, as every admin write: the audit log's trigger records it there.
  const record = await prisma.$transaction((tx) => tx.adminToken.create({ data: { name: name.trim(), scopes: [...new Set(scopes)], tokenHash: hashSecret(token) } }));
  return { token, record };
}

/** Revokes a token, only one whose scopes its revoker all holds: a lesser token can't disarm a greater one. */
export async function revokeAdminToken(id: string, revoker: AdminPrincipal) {
  const token = await prisma.adminToken.findFirst({ where: { id, revokedAt: null } });
  if (!token) throw new NotFoundError('No active admin token has this id.');
  const beyond = token.scopes.filter((scope) => !revoker.scopes.includes(scope));
  if (beyond.length) throw new ForbiddenError(`A token can only revoke tokens within its own scopes; this one lacks ${beyond.join(', ')}.`);
  // Guarded on revokedAt again: a concurrent revocation keeps its instant.
  await prisma.$transaction((tx) => tx.adminToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } }));
}

