import { ApprovalStatus, AttendanceMode, SessionRegistrationStatus, StakeholderGroup } from '../generated/prisma/enums.js';
import { registrationByIdWhere } from '../rules/registration-access.js';
import { seatsFor } from '../rules/seats.js';
import { zoomLinkFor } from '../rules/join-links.js';
import { builder } from './builder.js';
import { Session } from './session.js';

export const AttendanceModeEnum = builder.enumType(AttendanceMode, { name: 'AttendanceMode' });
export const StakeholderGroupEnum = builder.enumType(StakeholderGroup, { name: 'StakeholderGroup' });
export const RegistrationStatusEnum = builder.enumType(SessionRegistrationStatus, {
  name: 'RegistrationStatus',
  description:
    'CONFIRMED: a seat is held. WAITLISTED: in line for the next free seat. CANCELLED: no longer attending. PENDING: the registration waits for approval and holds no seat; once approved, its place in line is when it was chosen.',
});
export const ApprovalStatusEnum = builder.enumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  description:
    'NOT_REQUIRED: the registration\'s mode needs no approval. PENDING: waiting for an admin\'s review. APPROVED: its sessions are confirmed or waitlisted as seats allow. DECLINED: its sessions are cancelled.',
});

const ZoomLink = builder.objectRef<{ url: string | null; releaseZoomLinkAt: Date }>('ZoomLink').implement({
  description: 'The join link of a session, for a confirmed remote participant.',
  fields: (t) => ({
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Null until `releaseZoomLinkAt`, or until the organizer sets one.' }),
    releaseZoomLinkAt: t.expose('releaseZoomLinkAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('SessionRegistration', {
  name: 'RegisteredSession',
  description: 'One session a registrant chose, and where they stand for it.',
  fields: (t) => ({
    session: t.relation('session'),
    status: t.expose('status', { type: RegistrationStatusEnum }),
    attendanceMode: t.expose('attendanceMode', { type: AttendanceModeEnum }),
    waitlistPosition: t.int({
      nullable: true,
      description: '1 for the next one to get a seat; null unless WAITLISTED.',
      resolve: (choice, _args, ctx) => (choice.status === 'WAITLISTED' ? ctx.waitlistPositions.load(choice.id) : null),
    }),
    zoomLink: t.field({
      type: ZoomLink,
      nullable: true,
      select: { session: { select: { startsAt: true, zoomJoinUrl: true, event: { select: { zoomLinkLeadMinutes: true } } } } },
      resolve: (choice) => zoomLinkFor(choice, choice.session, choice.session.event.zoomLinkLeadMinutes, new Date()),
    }),
  }),
});

export const Registration = builder.prismaNode('Registration', {
  id: { field: 'id' },
  nullable: true,
  description:
    'A person\'s registration: reachable only with its manage token (`registration(manageToken:)`, or `node(id:)` with `Authorization: Bearer <manageToken>`), or by an admin with READ_REGISTRATIONS. `node(id:)` refuses anyone else.',
  findUnique: registrationByIdWhere,
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    organization: t.exposeString('organization', { nullable: true }),
    stakeholderGroup: t.expose('stakeholderGroup', { type: StakeholderGroupEnum, nullable: true }),
    attendanceMode: t.expose('attendanceMode', { type: AttendanceModeEnum }),
    approval: t.expose('approval', { type: ApprovalStatusEnum, description: 'Whether the registration waits for, got or was refused an admin\'s approval in its mode (`Event.approvalRequiredFor`).' }),
    interpretationLanguage: t.expose('interpretationLanguage', { type: 'Locale', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    event: t.relation('event'),
    sessions: t.relation('sessions', {
      query: { where: { status: { not: 'CANCELLED' } }, orderBy: [{ session: { startsAt: 'asc' } }, { id: 'asc' }] },
    }),
    messages: t.relation('messages', {
      nullable: true,
      authScopes: { readRegistrations: true },
      description: 'The mail sent or queued for this registration, oldest first (needs READ_REGISTRATIONS; null with an error otherwise).',
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

const SessionAvailability = builder
  .objectRef<{ attendanceMode: AttendanceMode; seats: number | null; confirmed: number; waitlisted: number; pending: number }>('SessionAvailability')
  .implement({
    description: 'Seats for one way of attending a session.',
    fields: (t) => ({
      attendanceMode: t.expose('attendanceMode', { type: AttendanceModeEnum }),
      seats: t.exposeInt('seats', { nullable: true, description: 'Null when there is no limit.' }),
      seatsLeft: t.int({
        nullable: true,
        description: 'Null when there is no limit; 0 means new registrants are waitlisted.',
        resolve: ({ seats, confirmed }) => (seats === null ? null : Math.max(0, seats - confirmed)),
      }),
      waitlistLength: t.exposeInt('waitlisted'),
      pendingCount: t.exposeInt('pending', { description: 'Requests waiting for approval: they hold no seat until approved.' }),
    }),
  });

builder.prismaObjectField(Session, 'availability', (t) =>
  t.field({
    type: [SessionAvailability],
    description: 'Seats left and waitlist length, in the room and online.',
    select: { roomSeats: true, remoteSeats: true },
    resolve: async (session, _args, ctx) => {
      const counts = await ctx.seatCounts.load(session.id);
      return Object.values(AttendanceMode).map((attendanceMode) => ({
        attendanceMode,
        seats: seatsFor(session, attendanceMode),
        ...counts[attendanceMode],
      }));
    },
  }),
);
