import { decodeGlobalID } from '@pothos/plugin-relay';
import { prisma } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { AuditEntry } from '../schema/audit-entry.js';
import { builder } from '../schema/builder.js';

export interface AuditFilter {
  /** An event's entries; without it, those belonging to no event (tokens, mechanism types). */
  eventSlug?: string | null;
  action?: string | null;
  /** An admin token's global ID. */
  actorId?: string | null;
}

/** The entries a filter selects, as one indexed condition (no join): an unknown slug or token selects none. */
export async function auditWhere({ eventSlug, action, actorId }: AuditFilter): Promise<Prisma.AuditEntryWhereInput> {
  const event = eventSlug ? await prisma.event.findUnique({ where: { slug: eventSlug }, select: { id: true } }) : null;
  return {
    eventId: eventSlug ? (event?.id ?? '') : null,
    action: action ?? undefined,
    actorId: actorId ? tokenIdOf(actorId) : undefined,
  };
}

/** The token a global ID names; '' (no token's) for any other ID. */
function tokenIdOf(globalId: string): string {
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename === 'AdminToken' ? id : '';
  } catch {
    return '';
  }
}

builder.queryFields((t) => ({
  auditLog: t.prismaConnection({
    type: AuditEntry,
    cursor: 'id',
    authScopes: { readAudit: true },
    description:
      'Every record changed by an admin, a script or the system, newest first (needs READ_AUDIT). `GET /admin/events/<slug>/audit.csv` exports an event\'s. Without `eventSlug`, the entries that belong to no event (tokens, mechanism types).',
    args: {
      eventSlug: t.arg.string(),
      action: t.arg.string({ description: 'Only this action, for example `registration.approve`.' }),
      actorId: t.arg.id({ description: 'Only the changes of this admin token (its global ID).' }),
    },
    resolve: async (query, _root, args) => prisma.auditEntry.findMany({ ...query, where: await auditWhere(args), orderBy: { id: 'desc' } }),
  }),
}));
