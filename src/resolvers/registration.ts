import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { responseCache } from '../cache.js';
import { prisma } from '../db/client.js';
import type { JobQueue } from '../db/jobs.js';
import { lockSessions, lockUntilCommit, type LockedSession } from '../db/locks.js';
import { NotFoundError, RateLimitedError, RegistrationClosedError, ValidationError, type FieldIssue } from '../errors.js';
import { AttendanceMode, Prisma, type Registration as RegistrationRow, type SessionRegistrationStatus, type StakeholderGroup } from '../generated/prisma/client.js';
import { retryAfterSeconds } from '../db/counters.js';
import { mayMessage, mayRequestManageLink } from '../rules/rate-limits.js';
import { mailJobs, queueMessages, scheduleJoinLinks } from '../mail/outbox.js';
import { builder } from '../schema/builder.js';
import { AttendanceModeEnum, Registration, RegistrationStatusEnum, StakeholderGroupEnum } from '../schema/registration.js';
import { Session } from '../schema/session.js';
import { hashSecret, newSecret } from '../secrets.js';
import { manageTokenHashFor } from '../rules/registrant-keys.js';
import { joinLinkReleased } from '../rules/join-links.js';
import { messageOnRegistering, messageOnUpdating } from '../rules/messages.js';
import { registrationClosedReason } from '../rules/registration-window.js';
import { seatsFor } from '../rules/seats.js';

type Tx = Prisma.TransactionClient;
type Mode = AttendanceMode;

/** A session chosen by global ID: the type name tells a session from a break or anything else. */
export interface ChosenItem {
  typename: string;
  id: string;
}

export interface RegistrationChanges {
  name: string;
  organization?: string | null;
  stakeholderGroup?: StakeholderGroup | null;
  attendanceMode: Mode;
  sessions: ChosenItem[];
  interpretationLanguage?: string | null;
}

export interface NewRegistration extends RegistrationChanges {
  eventSlug: string;
  email: string;
  consent: boolean;
}

const email = z.email();

// Concurrent requests for one event wait for each other on PostgreSQL locks, not in the pool queue.
const transactionOptions = { maxWait: 30_000, timeout: 30_000 };

type EventForRegistration = Prisma.EventGetPayload<{ include: { sessions: { select: { id: true; endsAt: true } } } }>;

function checkChanges(event: EventForRegistration, changes: Partial<RegistrationChanges>, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (changes.name !== undefined && !changes.name.trim()) issues.push({ path: 'input.name', message: 'must not be empty' });
  const mode = changes.attendanceMode;
  if (mode === 'REMOTE' && event.format === 'IN_PERSON') issues.push({ path: 'input.attendanceMode', message: 'this event has no remote participation' });
  if (mode === 'IN_PERSON' && event.format === 'ONLINE') issues.push({ path: 'input.attendanceMode', message: 'this event is online only' });
  const language = changes.interpretationLanguage;
  if (language && !event.interpretationLanguages.includes(language)) {
    issues.push({ path: 'input.interpretationLanguage', message: `the event offers ${event.interpretationLanguages.join(', ') || 'no interpretation'}` });
  }
  if (changes.sessions) {
    if (changes.sessions.length === 0) issues.push({ path: 'input.sessionIds', message: 'choose at least one session' });
    const seen = new Set<string>();
    changes.sessions.forEach((item, index) => {
      const path = `input.sessionIds[${index}]`;
      const session = event.sessions.find((candidate) => candidate.id === item.id);
      if (item.typename === 'Break') issues.push({ path, message: 'is a break: only sessions can be registered for' });
      else if (item.typename === 'AgendaItem') issues.push({ path, message: 'is an agenda item: give its session\'s id (`session { id }`)' });
      else if (item.typename !== 'Session' || !session) issues.push({ path, message: 'is not a session of this event' });
      else if (session.endsAt <= now) issues.push({ path, message: 'has already ended' });
      else if (seen.has(item.id)) issues.push({ path, message: 'is chosen twice' });
      seen.add(item.id);
    });
  }
  return issues;
}

async function loadEvent(where: Prisma.EventWhereUniqueInput): Promise<EventForRegistration | null> {
  return prisma.event.findUnique({ where, include: { sessions: { select: { id: true, endsAt: true } } } });
}

/**
 * Serializes every change to one person's registration, on PostgreSQL and PGlite alike. A new
 * registration needs no lock: the unique key on event and address lets only one through.
 */
function lockRegistrant(tx: Tx, eventId: string, email: string): Promise<void> {
  return lockUntilCommit(tx, `registrant/${eventId}/${email}`);
}

/**
 * Remote participants just confirmed in these locked sessions: where the join link is already
 * out, the session's round of join-link mails runs at once and finds them. The clock is read
 * after the locks were taken: a round that held them ran before this registrant was confirmed, so
 * the time read here is past its start, and this registrant gets a round of their own.
 */
async function lateJoinLinks(tx: Tx, boss: JobQueue, sessions: LockedSession[]): Promise<void> {
  const now = new Date();
  const released = sessions.filter((session) => joinLinkReleased(session, session.zoomLinkLeadMinutes, now));
  await scheduleJoinLinks(tx, boss, released, now);
}

/**
 * Confirms waiting registrants, first come first served, while the session has seats for the
 * mode, and mails each that a seat is now theirs, in the same transaction.
 */
export async function fillSeats(tx: Tx, boss: JobQueue, session: LockedSession, mode: Mode, now: Date) {
  const seats = seatsFor(session, mode);
  const confirmed = await tx.sessionRegistration.count({ where: { sessionId: session.id, attendanceMode: mode, status: 'CONFIRMED' } });
  const free = seats === null ? undefined : seats - confirmed;
  if (free !== undefined && free <= 0) return;
  const waiting = await tx.sessionRegistration.findMany({
    where: { sessionId: session.id, attendanceMode: mode, status: 'WAITLISTED' },
    orderBy: [{ statusChangedAt: 'asc' }, { id: 'asc' }],
    take: free,
    select: { id: true, registrationId: true },
  });
  if (waiting.length === 0) return;
  await tx.sessionRegistration.updateMany({ where: { id: { in: waiting.map((row) => row.id) } }, data: { status: 'CONFIRMED', statusChangedAt: now } });
  await queueMessages(tx, boss, waiting.map((row) => ({ registrationId: row.registrationId, kind: 'PROMOTION', sessionId: session.id })));
  if (mode === 'REMOTE') await lateJoinLinks(tx, boss, [session]);
}

type SeatLimits = { roomSeats: number | null; remoteSeats: number | null };

/**
 * A session's seat limits changed (an admin's update or an import): in each mode whose limit
 * changed, the first ones waiting take the seats there now are. The session must be locked.
 */
export async function seatLimitsChanged(tx: Tx, boss: JobQueue, before: SeatLimits, after: LockedSession, now: Date): Promise<void> {
  for (const mode of Object.values(AttendanceMode)) {
    if (seatsFor(after, mode) !== seatsFor(before, mode)) await fillSeats(tx, boss, after, mode, now);
  }
}

/**
 * Makes a registration's sessions the chosen ones in its mode: new choices are confirmed while
 * seats last and waitlisted after; dropped ones (or all, on a change of mode or a cancellation)
 * free their seat for the first one waiting. The session rows stay locked until commit, so two
 * requests never both take the last seat.
 */
async function saveChoices(tx: Tx, boss: JobQueue, registration: { id: string; attendanceMode: Mode; isNew?: boolean }, chosenIds: string[], now: Date): Promise<string[]> {
  const current = registration.isNew ? [] : await tx.sessionRegistration.findMany({ where: { registrationId: registration.id } });
  const sessions = await lockSessions(tx, [...new Set([...chosenIds, ...current.map((row) => row.sessionId)])]);
  const sessionById = new Map(sessions.map((session) => [session.id, session]));
  const active = (row: (typeof current)[number]) => row.status !== 'CANCELLED' && row.attendanceMode === registration.attendanceMode;

  for (const row of current) {
    if (row.status !== 'CANCELLED' && (!chosenIds.includes(row.sessionId) || !active(row))) {
      await tx.sessionRegistration.update({ where: { id: row.id }, data: { status: 'CANCELLED', statusChangedAt: now } });
      if (row.status === 'CONFIRMED') await fillSeats(tx, boss, sessionById.get(row.sessionId)!, row.attendanceMode, now);
    }
  }
  const confirmed: LockedSession[] = [];
  for (const sessionId of chosenIds) {
    const existing = current.find((row) => row.sessionId === sessionId);
    if (existing && active(existing)) continue;
    const seats = seatsFor(sessionById.get(sessionId)!, registration.attendanceMode);
    // Both counts in one statement: the session row stays locked until commit, so every round
    // trip from here on holds up the next registrant for this session.
    const counts = await tx.sessionRegistration.groupBy({
      by: ['status'],
      where: { sessionId, attendanceMode: registration.attendanceMode, status: { in: ['CONFIRMED', 'WAITLISTED'] } },
      _count: { _all: true },
    });
    const count = (status: SessionRegistrationStatus) => counts.find((row) => row.status === status)?._count._all ?? 0;
    const status = (seats === null || count('CONFIRMED') < seats) && count('WAITLISTED') === 0 ? 'CONFIRMED' : 'WAITLISTED';
    const data = { attendanceMode: registration.attendanceMode, status, statusChangedAt: now } as const;
    await tx.sessionRegistration.upsert({
      where: { registrationId_sessionId: { registrationId: registration.id, sessionId } },
      create: { registrationId: registration.id, sessionId, ...data },
      update: data,
    });
    if (status === 'CONFIRMED') confirmed.push(sessionById.get(sessionId)!);
  }
  if (registration.attendanceMode === 'REMOTE') await lateJoinLinks(tx, boss, confirmed);
  return sessions.map((session) => session.id);
}

/** After commit: cached public responses showing these sessions' seats are stale. */
async function seatsChanged(sessionIds: string[]): Promise<void> {
  await responseCache.invalidate(sessionIds.map((id) => ({ typename: 'Session', id: encodeGlobalID('Session', id) })));
}

/**
 * Registers a person for an event and returns their manage token, shown once (only its hash is
 * kept). An address already registered for the event changes nothing: its owner is mailed their
 * manage link instead, and the answer (no token, no registration) doesn't say which happened
 * beyond that.
 */
export async function registerForEvent(input: NewRegistration, now = new Date()): Promise<{ registration: RegistrationRow | null; manageToken: string | null }> {
  const event = await loadEvent({ slug: input.eventSlug });
  if (!event) throw new NotFoundError(`No event has the slug "${input.eventSlug}".`);
  const closed = registrationClosedReason(event, now);
  if (closed) throw new RegistrationClosedError(closed);
  const issues = checkChanges(event, input, now);
  if (!email.safeParse(input.email.trim()).success) issues.push({ path: 'input.email', message: 'is not an email address' });
  if (!input.consent) issues.push({ path: 'input.consent', message: 'consent to the processing of personal data is required to register' });
  if (issues.length) throw new ValidationError(issues);

  const address = input.email.trim().toLowerCase();
  const manageToken = newSecret('reg');
  const boss = await mailJobs();
  const register = () => prisma.$transaction(async (tx) => {
    const known = await tx.registration.findUnique({ where: { eventId_email: { eventId: event.id, email: address } }, select: { id: true } });
    if (known) {
      // Repeated attempts can't flood the owner's inbox; the answer is the same either way.
      if (await mayMessage(address)) await queueMessages(tx, boss, [{ registrationId: known.id, kind: messageOnRegistering({ addressKnown: true }) }]);
      return { saved: null, touched: [] };
    }
    const saved = await tx.registration.create({
      data: {
        eventId: event.id,
        email: address,
        name: input.name.trim(),
        organization: input.organization?.trim() || null,
        stakeholderGroup: input.stakeholderGroup ?? null,
        attendanceMode: input.attendanceMode,
        interpretationLanguage: input.interpretationLanguage ?? null,
        consentedAt: now,
        manageTokenHash: hashSecret(manageToken),
      },
    });
    // Queued before the seats are locked: the lock is held only for counting and taking seats.
    await queueMessages(tx, boss, [{ registrationId: saved.id, kind: messageOnRegistering({ addressKnown: false }) }]);
    const touched = await saveChoices(tx, boss, { ...saved, isNew: true }, input.sessions.map((item) => item.id), now);
    return { saved, touched };
  }, transactionOptions);
  // Requests with one new address at once: the first to insert it wins, and the others' inserts
  // fail once it commits; each of those runs again, and finds the address known.
  const result = await register().catch((error: unknown) => (isUniqueViolation(error) ? register() : Promise.reject(error)));
  await seatsChanged(result.touched);
  return { registration: result.saved, manageToken: result.saved && manageToken };
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

async function registrationForToken(token: string) {
  const registration = await prisma.registration.findUnique({ where: { manageTokenHash: await manageTokenHashFor(token) } });
  if (!registration) throw new NotFoundError('No registration has this manage token.');
  return registration;
}

/**
 * Under the registrant's lock: the token was not replaced by a new registration meanwhile. Returns
 * the registration's cancellation as it stands now (another request may have cancelled it).
 */
async function stillHeldBy(tx: Tx, manageTokenHash: string | null): Promise<{ cancelledAt: Date | null }> {
  const held = manageTokenHash ? await tx.registration.findUnique({ where: { manageTokenHash }, select: { cancelledAt: true } }) : null;
  if (!held) throw new NotFoundError('No registration has this manage token.');
  return held;
}

export async function updateRegistration(token: string, changes: Partial<RegistrationChanges>, now = new Date()) {
  const current = await registrationForToken(token);
  // The address stays registered: choosing sessions again is how a cancelled registrant comes back.
  if (current.cancelledAt && !changes.sessions) throw new RegistrationClosedError('This registration was cancelled: choose sessions (sessionIds) to take part again.');
  const event = (await loadEvent({ id: current.eventId }))!;
  const closed = registrationClosedReason(event, now);
  if (closed) throw new RegistrationClosedError(closed);
  const issues = checkChanges(event, changes, now);
  if (issues.length) throw new ValidationError(issues);

  const boss = await mailJobs();
  const result = await prisma.$transaction(async (tx) => {
    await lockRegistrant(tx, current.eventId, current.email);
    const { cancelledAt } = await stillHeldBy(tx, current.manageTokenHash);
    const saved = await tx.registration.update({
      where: { id: current.id },
      data: {
        name: changes.name?.trim(),
        organization: changes.organization === undefined ? undefined : changes.organization?.trim() || null,
        stakeholderGroup: changes.stakeholderGroup,
        attendanceMode: changes.attendanceMode,
        interpretationLanguage: changes.interpretationLanguage,
        cancelledAt: changes.sessions ? null : undefined,
      },
    });
    const chosen = changes.sessions?.map((item) => item.id) ??
      (await tx.sessionRegistration.findMany({ where: { registrationId: saved.id, status: { not: 'CANCELLED' } } })).map((row) => row.sessionId);
    const touched = await saveChoices(tx, boss, saved, chosen, now);
    const message = messageOnUpdating({ wasCancelled: cancelledAt !== null, sessionsChosen: changes.sessions !== undefined });
    if (message) await queueMessages(tx, boss, [{ registrationId: saved.id, kind: message }]);
    return { saved, touched };
  }, transactionOptions);
  await seatsChanged(result.touched);
  return result.saved;
}

/** Cancels every session of the registration; each freed seat goes to the first one waiting. */
export async function cancelRegistration(token: string, now = new Date()) {
  const current = await registrationForToken(token);
  const boss = await mailJobs();
  const result = await prisma.$transaction(async (tx) => {
    await lockRegistrant(tx, current.eventId, current.email);
    const { cancelledAt } = await stillHeldBy(tx, current.manageTokenHash);
    const saved = await tx.registration.update({ where: { id: current.id }, data: { cancelledAt: cancelledAt ?? now } });
    // Cancelling twice confirms once.
    if (!cancelledAt) await queueMessages(tx, boss, [{ registrationId: saved.id, kind: 'CANCELLATION' }]);
    return { saved, touched: await saveChoices(tx, boss, saved, [], now) };
  }, transactionOptions);
  await seatsChanged(result.touched);
  return result.saved;
}

/**
 * Mails the manage link of the registration `email` has for the event, if there is one. The
 * caller learns nothing either way: the answer is the same, and an address that asks too often is
 * held back silently (MESSAGES_PER_EMAIL). Requests for one event are limited in all
 * (MANAGE_LINKS_PER_EVENT), whatever the address, so nobody can mail an event's registrants in bulk.
 */
export async function requestManageLink(eventSlug: string, emailAddress: string): Promise<void> {
  const event = await prisma.event.findUnique({ where: { slug: eventSlug }, select: { id: true } });
  if (!event) throw new NotFoundError(`No event has the slug "${eventSlug}".`);
  const address = emailAddress.trim().toLowerCase();
  if (!email.safeParse(address).success) throw new ValidationError([{ path: 'input.email', message: 'is not an email address' }]);
  if (!(await mayRequestManageLink(event.id))) throw new RateLimitedError('Too many manage links were asked for this event. Try again in a few minutes.', retryAfterSeconds());
  const boss = await mailJobs();
  await prisma.$transaction(async (tx) => {
    const known = await tx.registration.findUnique({ where: { eventId_email: { eventId: event.id, email: address } }, select: { id: true } });
    if (known && (await mayMessage(address))) await queueMessages(tx, boss, [{ registrationId: known.id, kind: 'MANAGE_LINK' }]);
  }, transactionOptions);
}

// ---- GraphQL root fields -------------------------------------------------------------------

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
    errors: {},
    resolve: async (_root, { input }) => {
      const { registration, manageToken } = await registerForEvent({ ...input, sessions: input.sessionIds });
      return { id: registration?.id ?? null, manageToken };
    },
  }),
  updateRegistration: t.field({
    type: RegistrationPayload,
    args: { input: t.arg({ type: UpdateRegistrationInput, required: true }) },
    errors: {},
    resolve: async (_root, { input }) => {
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
    },
  }),
  cancelRegistration: t.field({
    type: RegistrationPayload,
    args: { input: t.arg({ type: CancelRegistrationInput, required: true }) },
    errors: {},
    resolve: async (_root, { input }) => ({ id: (await cancelRegistration(input.manageToken)).id }),
  }),
  requestManageLink: t.field({
    type: RequestManageLinkPayload,
    description:
      'Mails the manage link of the registration this address has for the event, if any. Limited per address (MESSAGES_PER_EMAIL, silently) and per event (MANAGE_LINKS_PER_EVENT, 429 RATE_LIMITED).',
    args: { input: t.arg({ type: RequestManageLinkInput, required: true }) },
    errors: {},
    resolve: async (_root, { input }) => {
      await requestManageLink(input.eventSlug, input.email);
      return {};
    },
  }),
}));

export interface RegistrationFilter {
  eventSlug: string;
  sessionId?: string | null;
  status?: SessionRegistrationStatus | null;
  attendanceMode?: AttendanceMode | null;
}

/** Registrations of an event; with a session and/or status, those with a matching session choice. */
export function registrationWhere({ eventSlug, sessionId, status, attendanceMode }: RegistrationFilter): Prisma.RegistrationWhereInput {
  return {
    event: { slug: eventSlug },
    attendanceMode: attendanceMode ?? undefined,
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
    },
    totalCount: (_root, args) => prisma.registration.count({ where: registrationWhere({ ...args, sessionId: args.sessionId?.id }) }),
    resolve: (query, _root, args) =>
      prisma.registration.findMany({ ...query, where: registrationWhere({ ...args, sessionId: args.sessionId?.id }), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  }),
}));
