import { stringify } from 'csv-stringify/sync';
import type { Plugin } from 'graphql-yoga';
import { prisma } from '../db/client.js';
import { authenticateAdmin } from '../rules/admin-tokens.js';
import { auditWhere } from '../resolvers/audit.js';
import { spreadsheetText } from './registrations-csv.js';

const route = /^\/admin\/events\/([^/]+)\/audit\.csv$/;

const columns = ['id', 'at', 'actorKind', 'actorId', 'actorName', 'action', 'targetId', 'field', 'before', 'after'];

/** A value as a cell: text as it is, anything else as JSON. */
const cell = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * `GET /admin/events/<slug>/audit.csv` (READ_AUDIT): an event's audit log, newest first, one row
 * per field changed, for spreadsheets; `?action=` as `Query.auditLog`. Cells that would read as
 * formulas are neutralised as in the registrations' export (values come from anyone's input).
 */
export function auditCsv(): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const slug = route.exec(url.pathname)?.[1];
      if (!slug || request.method !== 'GET') return;
      const admin = await authenticateAdmin(request.headers.get('authorization'));
      if (!admin?.scopes.includes('READ_AUDIT')) {
        endResponse(new Response('This needs an admin token with the READ_AUDIT scope.\n', { status: admin ? 403 : 401, headers: { 'www-authenticate': 'Bearer' } }));
        return;
      }
      const entries = await prisma.auditEntry.findMany({ where: await auditWhere({ eventSlug: slug, action: url.searchParams.get('action') }), orderBy: { id: 'desc' } });
      const rows = entries.flatMap((entry) =>
        Object.entries(entry.changes as Record<string, { before?: unknown; after?: unknown }>).map(([field, change]) => [
          entry.id, entry.at.toISOString(), entry.actorKind, entry.actorId, entry.actorName, entry.action, entry.targetId, field, cell(change.before), cell(change.after),
        ]),
      );
      endResponse(
        new Response(stringify([columns, ...rows], { quoted: true, cast: { string: spreadsheetText } }), {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${slug}-audit.csv"`,
            'cache-control': 'private, no-store',
          },
        }),
      );
    },
  };
}
