import { stringify } from 'csv-stringify/sync';
import type { Plugin } from 'graphql-yoga';
import type { AdminScope } from '../generated/prisma/enums.js';
import { authenticateAdmin } from '../rules/admin-tokens.js';

/**
 * A cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return would be read as a formula (a registrant named `=HYPERLINK(…)`), so it gets a leading `'`,
 * as OWASP recommends for CSV injection. Every cell is quoted as well.
 */
export function spreadsheetText(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** A table for a spreadsheet, or the answer that refuses the request (a bad filter). */
type Table = { columns: string[]; rows: unknown[][] } | Response;

/**
 * `GET /admin/events/<slug>/<name>.csv` for an admin token holding `scope`: the table `read`
 * makes of the event, as quoted CSV with formula-like cells neutralised, never cached. The
 * exports differ only in what they read.
 */
export function adminEventCsv(name: string, scope: AdminScope, read: (slug: string, url: URL) => Promise<Table>): Plugin {
  const route = new RegExp(`^/admin/events/([^/]+)/${name}\\.csv$`);
  return {
    async onRequest({ request, url, endResponse }) {
      // Slugs are URL-safe: one that needs decoding names no event.
      const slug = route.exec(url.pathname)?.[1];
      if (!slug || request.method !== 'GET') return;
      const admin = await authenticateAdmin(request.headers.get('authorization'));
      if (!admin?.scopes.includes(scope)) {
        endResponse(new Response(`This needs an admin token with the ${scope} scope.\n`, { status: admin ? 403 : 401, headers: { 'www-authenticate': 'Bearer' } }));
        return;
      }
      const table = await read(slug, url);
      if (table instanceof Response) {
        endResponse(table);
        return;
      }
      const headers = { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${slug}-${name}.csv"`, 'cache-control': 'private, no-store' };
      endResponse(new Response(stringify([table.columns, ...table.rows], { quoted: true, cast: { string: spreadsheetText } }), { headers }));
    },
  };
}
