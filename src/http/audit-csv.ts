import type { Plugin } from 'graphql-yoga';
import { prisma } from '../db/client.js';
import { auditWhere } from '../resolvers/audit.js';
import { adminEventCsv } from './admin-csv.js';

const columns = ['id', 'at', 'actorKind', 'actorId', 'actorName', 'action', 'targetId', 'field', 'before', 'after'];

/** A value as a cell: text as it is, anything else as JSON. */
const cell = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * `GET /admin/events/<slug>/audit.csv` (READ_AUDIT): an event's audit log, newest first, one row
 * per field changed, for spreadsheets; `?action=` as `Query.auditLog`. Cells that would read as
 * formulas are neutralised (values come from anyone's input).
 */
export function auditCsv(): Plugin {
  return adminEventCsv('audit', 'READ_AUDIT', async (slug, url) => {
    const entries = await prisma.auditEntry.findMany({ where: await auditWhere({ eventSlug: slug, action: url.searchParams.get('action') }), orderBy: { id: 'desc' } });
    const rows = entries.flatMap((entry) =>
      Object.entries(entry.changes as Record<string, { before?: unknown; after?: unknown }>).map(([field, change]) => [
        entry.id, entry.at.toISOString(), entry.actorKind, entry.actorId, entry.actorName, entry.action, entry.targetId, field, cell(change.before), cell(change.after),
      ]),
    );
    return { columns, rows };
  });
}
