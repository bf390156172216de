import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Plugin } from 'graphql-yoga';
import { prisma } from '../db/client.js';
import { ApprovalStatus, AttendanceMode, SessionRegistrationStatus } from '../generated/prisma/enums.js';
import { registrationWhere } from '../resolvers/registration.js';
import { adminEventCsv } from './admin-csv.js';

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
 * `GET /admin/events/<slug>/registrations.csv` (READ_REGISTRATIONS): one row per registration and
 * chosen session, for spreadsheets. Takes the same filters as `Query.registrations`:
 * `?status=&attendanceMode=&approval=`.
 */
export function registrationsCsv(): Plugin {
  return adminEventCsv('registrations', 'READ_REGISTRATIONS', async (slug, url) => {
    const status = oneOf(SessionRegistrationStatus, url.searchParams.get('status'));
    const attendanceMode = oneOf(AttendanceMode, url.searchParams.get('attendanceMode'));
    const approval = oneOf(ApprovalStatus, url.searchParams.get('approval'));
    if (status === undefined || attendanceMode === undefined || approval === undefined) {
      const allowed = (values: Record<string, string>) => Object.values(values).join(', ');
      return new Response(`status must be one of ${allowed(SessionRegistrationStatus)}; attendanceMode one of ${allowed(AttendanceMode)}; approval one of ${allowed(ApprovalStatus)}.\n`, { status: 400 });
    }
    const registrations = await prisma.registration.findMany({
      where: registrationWhere({ eventSlug: slug, status, attendanceMode, approval }),
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
    return { columns, rows };
  });
}
