import { prisma } from '../../db/client.js';
import { lockUntilCommit, registrantLockKey } from '../../db/locks.js';
import { NotFoundError, RegistrationClosedError, ValidationError } from '../../errors.js';
import { Prisma, type Registration as RegistrationRow } from '../../generated/prisma/client.js';
import { mailJobs, queueManageLinkRequest, queueMessages } from '../../mail/outbox.js';
import { messageOnRegistering, messageOnUpdating } from '../../rules/messages.js';
import { mayMessage } from '../../rules/rate-limits.js';
import { manageTokenHashFor } from '../../rules/registrant-keys.js';
import { approvalOnChoosing, type CurrentRegistration } from '../../rules/registration-approval.js';
import { checkChanges, email, type EventForRegistration, type NewRegistration, type RegistrationChanges } from '../../rules/registration-choices.js';
import { registrationClosedReason } from '../../rules/registration-window.js';
import { hashSecret, newSecret } from '../../secrets.js';
import { saveChoices, seatsChanged } from './seating.js';

// What a registrant does: register, change, cancel, and ask for their manage link again.

type Tx = Prisma.TransactionClient;

// Concurrent requests for one event wait for each other on PostgreSQL locks, not in the pool queue.
const transactionOptions = { maxWait: 30_000, timeout: 30_000 };

async function loadEvent(where: Prisma.EventWhereUniqueInput): Promise<EventForRegistration | null> {
  return prisma.event.findUnique({ where, include: { sessions: { select: { id: true, endsAt: true } } } });
}

/**
 * Serializes every change to one person's registration, on PostgreSQL and PGlite alike. A new
 * registration needs no lock: the unique key on event and address lets only one through.
 */
function lockRegistrant(tx: Tx, eventId: string, email: string): Promise<void> {
  return lockUntilCommit(tx, registrantLockKey(eventId, email));
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

  // A new registration is never declined.
  const { approval } = approvalOnChoosing(event, null, input.attendanceMode)!;
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
        approval,
        interpretationLanguage: input.interpretationLanguage ?? null,
        consentedAt: now,
        manageTokenHash: hashSecret(manageToken),
      },
    });
    // Queued before the seats are locked: the lock is held only for counting and taking seats.
    await queueMessages(tx, boss, [{ registrationId: saved.id, kind: messageOnRegistering({ addressKnown: false, approval }) }]);
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
 * the registration's standing as it is now (another request may have cancelled it, an admin
 * reviewed it).
 */
async function stillHeldBy(tx: Tx, manageTokenHash: string | null): Promise<CurrentRegistration> {
  const held = manageTokenHash ? await tx.registration.findUnique({ where: { manageTokenHash }, select: { cancelledAt: true, approval: true, attendanceMode: true } }) : null;
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
    const held = await stillHeldBy(tx, current.manageTokenHash);
    const { cancelledAt } = held;
    const mode = changes.attendanceMode ?? held.attendanceMode;
    const chosen = approvalOnChoosing(event, held, mode);
    // Declined in this mode: choosing sessions in it again is refused; other changes keep the decision.
    if (!chosen && changes.sessions) throw new ValidationError([{ path: changes.attendanceMode ? 'input.attendanceMode' : 'input.sessionIds', message: `the request to attend ${mode === 'IN_PERSON' ? 'in person' : 'remotely'} was declined` }]);
    const { approval, newRequest } = chosen ?? { approval: held.approval, newRequest: false };
    const saved = await tx.registration.update({
      where: { id: current.id },
      data: {
        approval,
        declineReason: approval === 'DECLINED' ? undefined : null,
        name: changes.name?.trim(),
        organization: changes.organization === undefined ? undefined : changes.organization?.trim() || null,
        stakeholderGroup: changes.stakeholderGroup,
        attendanceMode: changes.attendanceMode,
        interpretationLanguage: changes.interpretationLanguage,
        cancelledAt: changes.sessions ? null : undefined,
      },
    });
    const sessionIds = changes.sessions?.map((item) => item.id) ??
      (await tx.sessionRegistration.findMany({ where: { registrationId: saved.id, status: { not: 'CANCELLED' } } })).map((row) => row.sessionId);
    const touched = await saveChoices(tx, boss, saved, sessionIds, now);
    const message = messageOnUpdating({ wasCancelled: cancelledAt !== null, sessionsChosen: changes.sessions !== undefined, newRequest });
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
 * caller learns nothing either way: the answer is the same and takes the same work (the same SQL,
 * one job), as the mail worker finds out whether the address is registered; an address that asks
 * too often is held back silently (MESSAGES_PER_EMAIL). Calls are limited per client address
 * (REGISTRATIONS_PER_ADDRESS), never per event, so nobody can lock the registrants out.
 */
export async function requestManageLink(eventSlug: string, emailAddress: string): Promise<void> {
  const event = await prisma.event.findUnique({ where: { slug: eventSlug }, select: { id: true } });
  if (!event) throw new NotFoundError(`No event has the slug "${eventSlug}".`);
  const address = emailAddress.trim().toLowerCase();
  if (!email.safeParse(address).success) throw new ValidationError([{ path: 'input.email', message: 'is not an email address' }]);
  const boss = await mailJobs();
  await prisma.$transaction((tx) => queueManageLinkRequest(tx, boss, event.id, address), transactionOptions);
}

// ---- GraphQL root fields -------------------------------------------------------------------
