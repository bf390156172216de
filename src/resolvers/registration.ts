import { prisma } from '../db/client.js';
import { NotFoundError, RegistrationClosedError, ValidationError } from '../errors.js';
import type { ApprovalStatus, AttendanceMode, Prisma, SessionRegistrationStatus } from '../generated/prisma/client.js';
import { manageTokenHashFor } from '../rules/registrant-keys.js';
import { builder } from '../schema/builder.js';
import { ApprovalStatusEnum, AttendanceModeEnum, Registration, RegistrationStatusEnum, StakeholderGroupEnum } from '../schema/registration.js';
import { Session } from '../schema/session.js';
import { raisingOnly } from './refusals.js';
import { cancelRegistration, registerForEvent, requestManageLink, updateRegistration } from './registration/registrant.js';

const RegisterForEventInput = builder.inputType('RegisterForEventInput', {
  fields: (t) => ({
    eventSlug: t.string({ required: true }),
    name: t.string({ required: true }),
    email: t.string({ required: true, description: 'One registration per email and event: registering again changes nothing and mails the registrant their manage link.' }),
    organization: t.string(),
    stakeholderGroup: t.field({ type: StakeholderGroupEnum }),
    attendanceMode: t.field({ type: AttendanceModeEnum, required: true }),
    sessionIds: t.globalIDList({ required: true, description: 'The sessions to attend (not breaks): at least one.' }),
    interpretationLanguage: t.field({ type: 'Locale', description: 'One of the event\'s `interpretationLanguages`.' }),
    consent: t.boolean({ required: true, description: 'Consent to the processing of personal data for this registration.' }),
  }),
});

const UpdateRegistrationInput = builder.inputType('UpdateRegistrationInput', {
  description: 'Fields left out stay as they are.',
  fields: (t) => ({
    manageToken: t.string({ required: true }),
    name: t.string(),
    organization: t.string(),
    stakeholderGroup: t.field({ type: StakeholderGroupEnum }),
    attendanceMode: t.field({ type: AttendanceModeEnum }),
    sessionIds: t.globalIDList(),
    interpretationLanguage: t.field({ type: 'Locale' }),
  }),
});

const CancelRegistrationInput = builder.inputType('CancelRegistrationInput', {
  fields: (t) => ({ manageToken: t.string({ required: true }) }),
});

const RequestManageLinkInput = builder.inputType('RequestManageLinkInput', {
  fields: (t) => ({
    eventSlug: t.string({ required: true }),
    email: t.string({ required: true, description: 'The address the registration was made with.' }),
  }),
});

const RequestManageLinkPayload = builder.objectRef<Record<string, never>>('RequestManageLinkPayload').implement({
  description: 'The same answer whether or not the address is registered for the event: the mail itself is the only sign.',
  fields: (t) => ({
    message: t.string({
      resolve: () => 'If this address is registered for the event, a link to view, change or cancel the registration has been mailed to it.',
    }),
  }),
});

const RegistrationPayload = builder.objectRef<{ id: string }>('RegistrationPayload').implement({
  fields: (t) => ({
    registration: t.prismaField({
      type: Registration,
      resolve: (query, payload) => prisma.registration.findUniqueOrThrow({ ...query, where: { id: payload.id } }),
    }),
  }),
});

const RegisterForEventPayload = builder.objectRef<{ id: string | null; manageToken: string | null }>('RegisterForEventPayload').implement({
  description:
    'The answer to registerForEvent, of one shape whether or not the email was already registered. A new registrant gets both fields and a confirmation mail. For an address already registered nothing changes, both fields are null, and the address\'s owner is mailed their manage link.',
  fields: (t) => ({
    registration: t.prismaField({
      type: Registration,
      nullable: true,
      // Looked up either way (an empty id finds nothing), so both answers take the same work.
      resolve: (query, payload) => prisma.registration.findUnique({ ...query, where: { id: payload.id ?? '' } }),
    }),
    manageToken: t.exposeString('manageToken', {
      nullable: true,
      description: 'The key to view, change or cancel the new registration. Shown once: it is not stored (the confirmation mail carries a manage link instead).',
    }),
  }),
});

/** What registering or changing a registration may refuse: bad input, an unknown event or token, a closed window. */
const registering = [ValidationError, NotFoundError, RegistrationClosedError];

const undefinedIfNull = <T>(value: T | null | undefined) => value ?? undefined;

builder.queryFields((t) => ({
  registration: t.prismaField({
    type: Registration,
    nullable: true,
    description: 'The registration that a manage token opens, or null.',
    args: { manageToken: t.arg.string({ required: true }) },
    resolve: async (query, _root, { manageToken }) =>
      prisma.registration.findUnique({ ...query, where: { manageTokenHash: await manageTokenHashFor(manageToken) } }),
  }),
}));

builder.mutationFields((t) => ({
  registerForEvent: t.field({
    type: RegisterForEventPayload,
    args: { input: t.arg({ type: RegisterForEventInput, required: true }) },
    errors: { types: registering },
    resolve: (_root, { input }) =>
      raisingOnly('registerForEvent', registering, async () => {
        const { registration, manageToken } = await registerForEvent({ ...input, sessions: input.sessionIds });
        return { id: registration?.id ?? null, manageToken };
      }),
  }),
  updateRegistration: t.field({
    type: RegistrationPayload,
    description: 'Changes a registration with its manage token. RegistrationClosedError when the event no longer takes registrations, or the registration was cancelled and no sessions are chosen again.',
    args: { input: t.arg({ type: UpdateRegistrationInput, required: true }) },
    errors: { types: registering },
    resolve: (_root, { input }) =>
      raisingOnly('updateRegistration', registering, async () => {
        const { manageToken, sessionIds, ...changes } = input;
        const registration = await updateRegistration(manageToken, {
          name: undefinedIfNull(changes.name),
          organization: changes.organization,
          stakeholderGroup: changes.stakeholderGroup,
          attendanceMode: undefinedIfNull(changes.attendanceMode),
          interpretationLanguage: changes.interpretationLanguage,
          sessions: undefinedIfNull(sessionIds),
        });
        return { id: registration.id };
      }),
  }),
  cancelRegistration: t.field({
    type: RegistrationPayload,
    args: { input: t.arg({ type: CancelRegistrationInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError] },
    resolve: (_root, { input }) => raisingOnly('cancelRegistration', [ValidationError, NotFoundError], async () => ({ id: (await cancelRegistration(input.manageToken)).id })),
  }),
  requestManageLink: t.field({
    type: RequestManageLinkPayload,
    description:
      'Mails the manage link of the registration this address has for the event, if any. Limited per email address (MESSAGES_PER_EMAIL, silently) and, with registerForEvent, per client address (REGISTRATIONS_PER_ADDRESS, 429 RATE_LIMITED).',
    args: { input: t.arg({ type: RequestManageLinkInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError] },
    resolve: (_root, { input }) =>
      raisingOnly('requestManageLink', [ValidationError, NotFoundError], async () => {
        await requestManageLink(input.eventSlug, input.email);
        return {};
      }),
  }),
}));

export interface RegistrationFilter {
  eventSlug: string;
  sessionId?: string | null;
  status?: SessionRegistrationStatus | null;
  attendanceMode?: AttendanceMode | null;
  approval?: ApprovalStatus | null;
}

/**
 * Registrations of an event; with a session and/or status, those with a matching session choice.
 * PENDING lists the requests waiting for review: a cancelled one waits for nothing.
 */
export function registrationWhere({ eventSlug, sessionId, status, attendanceMode, approval }: RegistrationFilter): Prisma.RegistrationWhereInput {
  return {
    event: { slug: eventSlug },
    attendanceMode: attendanceMode ?? undefined,
    approval: approval ?? undefined,
    ...(approval === 'PENDING' ? { cancelledAt: null } : {}),
    ...(sessionId || status ? { sessions: { some: { sessionId: sessionId ?? undefined, status: status ?? undefined } } } : {}),
  };
}

builder.queryFields((t) => ({
  registrations: t.prismaConnection({
    type: Registration,
    cursor: 'id',
    description:
      'An event\'s registrations, oldest first (needs READ_REGISTRATIONS). `GET /admin/events/<slug>/registrations.csv` exports them. Each is a `Node`, but `node(id:)` answers one only to an admin with READ_REGISTRATIONS or with its manage token: personal data is never reachable by ID alone.',
    authScopes: { readRegistrations: true },
    args: {
      eventSlug: t.arg.string({ required: true }),
      sessionId: t.arg.globalID({ for: Session }),
      status: t.arg({ type: RegistrationStatusEnum }),
      attendanceMode: t.arg({ type: AttendanceModeEnum }),
      approval: t.arg({ type: ApprovalStatusEnum, description: 'PENDING: the requests waiting for review (not those cancelled since).' }),
    },
    totalCount: (_root, args) => prisma.registration.count({ where: registrationWhere({ ...args, sessionId: args.sessionId?.id }) }),
    resolve: (query, _root, args) =>
      prisma.registration.findMany({ ...query, where: registrationWhere({ ...args, sessionId: args.sessionId?.id }), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  }),
}));
