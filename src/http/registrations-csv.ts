import { encodeGlobalID } from '@pothos/plugin-relay';
import { stringify } from 'csv-stringify/sync';
import type { Plugin } from 'graphql-yoga';
import { prisma } from '../db/client.js';
import { ApprovalStatus, AttendanceMode, SessionRegistrationStatus } from '../generated/prisma/enums.js';
import { authenticateAdmin } from '../rules/admin-tokens.js';
import { registrationWhere } from '../resolvers/registration.js';

const route = /^\/admin\/events\/([^/]+)\/registrations\.csv$/;

const columns = [
  'registrationId', 'name', 'email', 'organization', 'stakeholderGroup', 'attendanceMode', 'interpretationLanguage',
  'registeredAt', 'cancelledAt', 'sessionNumber', 'sessionTitle', 'status',
  // Added last, so spreadsheets reading the columns before by position still read them.
  'approval',
];

/** null when absent, undefined when not one of the enum's values. */
function oneOf<T extends string>(values: Record<string, T>, given: string | null): T | null | undefined {
  if (given === null) return null;
  return Object.values(values).find((value) => value === given);
}

/**
 * A cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return would be read as a formula (a registrant named `=HYPERLINK(…)`), so it gets a leading `'`,
 * as OWASP recommends for CSV injection. Every cell is quoted as well.
 */
export function spreadsheetText(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * `GET /admin/events/<slug>/registrations.csv` (READ_REGISTRATIONS): one row per registration and
 * chosen session, for spreadsheets. Takes the same filters as `Query.registrations`:
 * `?status=&attendanceMode=&approval=`.
 */
export function registrationsCsv(): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const slug = route.exec(url.pathname)?.[1];
      if (!slug || request.method !== 'GET') return;
      const admin = await authenticateAdmin(request.headers.get('authorization'));
      if (!admin?.scopes.includes('READ_REGISTRATIONS')) {
        endResponse(new Response('This needs an admin token with the READ_REGISTRATIONS scope.\n', { status: admin ? 403 : 401, headers: { 'www-authenticate': 'Bearer' } }));
        return;
      }
      const status = oneOf(SessionRegistrationStatus, url.searchParams.get('status'));
      const attendanceMode = oneOf(AttendanceMode, url.searchParams.get('attendanceMode'));
      const approval = oneOf(ApprovalStatus, url.searchParams.get('approval'));
      if (status === undefined || attendanceMode === undefined || approval === undefined) {
        const allowed = (values: Record<string, string>) => Object.values(values).join(', ');
        endResponse(new Response(`status must be one of ${allowed(SessionRegistrationStatus)}; attendanceMode one of ${allowed(AttendanceMode)}; approval one of ${allowed(ApprovalStatus)}.\n`, { status: 400 }));
        return;
      }
      // Slugs are URL-safe: one that needs decoding names no event.
      const filter = { eventSlug: slug, status, attendanceMode, approval };
      const registrations = await prisma.registration.findMany({
        where: registrationWhere(filter),
        include: { sessions: { where: status ? { status } : {}, include: { session: { select: { number: true, title: true } } }, orderBy: { session: { startsAt: 'asc' } } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      const rows = registrations.flatMap((registration) =>
        registration.sessions.map((choice) => [
          // The ID the API gives, so a row can be looked up with node(id:).
          encodeGlobalID('Registration', registration.id), registration.name, registration.email, registration.organization, registration.stakeholderGroup,
          registration.attendanceMode, registration.interpretationLanguage, registration.createdAt.toISOString(),
          registration.cancelledAt?.toISOString() ?? '', choice.session.number, choice.session.title, choice.status, registration.approval,
        ]),
      );
      endResponse(
        new Response(stringify([columns, ...rows], { quoted: true, cast: { string: spreadsheetText } }), {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${slug}-registrations.csv"`,
            'cache-control': 'private, no-store',
          },
        }),
      );
    },
  };
}
