import { decodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CancelRegistrationDocument,
  MyRegistrationDocument,
  RegisterForEventDocument,
  RequestManageLinkDocument,
  SessionAvailabilityDocument,
  UpdateRegistrationDocument,
  type RegisterForEventInput,
} from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { databaseOperator, issueAdminToken } from '../src/rules/admin-tokens.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { apiClient, postGraphQL, withStatementLog } from './support/api.js';
import { futureEvent } from './support/future-event.js';

const client = apiClient();
const slug = 'registration-rules';
let session1: string;
let session2: string;
let breakId: string;

async function register(overrides: Partial<RegisterForEventInput> = {}) {
  const input: RegisterForEventInput = {
    eventSlug: slug,
    name: 'Ana Registrant',
    email: `${Math.random().toString(36).slice(2)}@example.org`,
    organization: 'Civil society group',
    stakeholderGroup: 'CIVIL_SOCIETY',
    attendanceMode: 'REMOTE',
    sessionIds: [session1],
    interpretationLanguage: 'es',
    consent: true,
    ...overrides,
  };
  return (await client.request(RegisterForEventDocument, { input })).registerForEvent;
}

async function registered(overrides: Partial<RegisterForEventInput> = {}) {
  const result = await register(overrides);
  if (result.__typename !== 'RegisterForEventPayload' || !result.registration || !result.manageToken) throw new Error(`refused: ${JSON.stringify(result)}`);
  return { ...result, registration: result.registration, manageToken: result.manageToken };
}

const view = async (manageToken: string) => (await client.request(MyRegistrationDocument, { manageToken })).registration;

async function availability(number: number, mode: 'IN_PERSON' | 'REMOTE') {
  const { event } = await client.request(SessionAvailabilityDocument, { slug });
  const item = event!.agenda.flatMap((day) => day.items).find((candidate) => candidate.session?.number === number)!;
  return item.session!.availability.find((entry) => entry.attendanceMode === mode)!;
}

beforeAll(async () => {
  await importEvent(futureEvent(slug, { remoteSeats: 2, roomSeats: 1 }));
  const { event } = await client.request(SessionAvailabilityDocument, { slug });
  const items = event!.agenda.flatMap((day) => day.items);
  session1 = items.find((item) => item.session?.number === 1)!.session!.id;
  session2 = items.find((item) => item.session?.number === 2)!.session!.id;
  breakId = items.find((item) => item.kind === 'BREAK')!.break!.id;
});

describe('registering', () => {
  it('confirms a remote participant, returns a manage token once, and stores only its hash', async () => {
    const result = await registered({ sessionIds: [session1, session2], email: 'Ana@Example.org ' });
    expect(result.manageToken).toMatch(/^reg_[\w-]{43}$/);
    expect(result.registration.email).toBe('ana@example.org');
    expect(result.registration.sessions.map((choice) => [choice.session.number, choice.status])).toEqual([[1, 'CONFIRMED'], [2, 'CONFIRMED']]);
    const { typename, id } = decodeGlobalID(result.registration.id);
    expect(typename).toBe('Registration');
    const stored = await prisma.registration.findUniqueOrThrow({ where: { id } });
    expect(stored.manageTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(result.manageToken!);
    expect(stored.consentedAt).toBeInstanceOf(Date);
  });

  it('is a Node that node(id:) answers only with its manage token as bearer token, or to an admin with READ_REGISTRATIONS', async () => {
    await importEvent(futureEvent('registration-node'));
    const { event } = await client.request(SessionAvailabilityDocument, { slug: 'registration-node' });
    const inOwnEvent = { eventSlug: 'registration-node', sessionIds: [event!.agenda[0]!.items[0]!.session!.id] };
    const { manageToken, registration } = await registered({ ...inOwnEvent, email: 'node@example.org' });
    const other = await registered({ ...inOwnEvent, email: 'someone.else@example.org' });
    const { token: reader } = await issueAdminToken('registrations desk', ['READ_REGISTRATIONS'], databaseOperator);
    const { token: writer } = await issueAdminToken('content editor', ['WRITE_EVENTS'], databaseOperator);
    const lookUp = (authorization?: string) =>
      postGraphQL(
        { query: 'query ($id: ID!) { node(id: $id) { __typename id ... on Registration { email } } }', variables: { id: registration.id } },
        authorization ? { authorization } : {},
      );

    for (const refused of [undefined, `Bearer ${writer}`]) {
      const { json } = await lookUp(refused);
      expect(json.data.node).toBeNull();
      expect(json.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['FORBIDDEN']);
    }
    // Another registration's token opens nothing, and does not tell whether the ID exists.
    expect((await lookUp(`Bearer ${other.manageToken}`)).json).toEqual({ data: { node: null } });
    for (const allowed of [`Bearer ${manageToken}`, `Bearer ${reader}`]) {
      expect((await lookUp(allowed)).json).toEqual({ data: { node: { __typename: 'Registration', id: registration.id, email: 'node@example.org' } } });
    }
  });

  it('shows a confirmed remote participant the join link only from its release time', async () => {
    const { manageToken } = await registered({ sessionIds: [session1, session2] });
    const mine = await view(manageToken!);
    const [soon, later] = mine!.sessions;
    expect(soon!.zoomLink).toEqual({ url: 'https://zoom.example/j/111', releaseZoomLinkAt: expect.any(String) });
    expect(later!.zoomLink!.url).toBeNull();
    const session2Start = (await prisma.session.findFirstOrThrow({ where: { number: 2, event: { slug } } })).startsAt;
    expect(new Date(later!.zoomLink!.releaseZoomLinkAt).getTime()).toBe(session2Start.getTime() - 24 * 3_600_000);

    const inPerson = await registered({ attendanceMode: 'IN_PERSON', sessionIds: [session2] });
    expect(inPerson.registration.sessions[0]!.zoomLink).toBeNull();
    expect(await view('reg_not-a-real-token')).toBeNull();
  });

  it('waitlists beyond capacity, in order, and promotes the first waiting on a cancellation', async () => {
    await importEvent(futureEvent('capacity', { remoteSeats: 2, roomSeats: 1 }));
    const { event } = await client.request(SessionAvailabilityDocument, { slug: 'capacity' });
    const first = event!.agenda[0]!.items[0]!.session!.id;
    const inCapacity = (overrides: Partial<RegisterForEventInput>) => registered({ eventSlug: 'capacity', sessionIds: [first], ...overrides });

    const a = await inCapacity({});
    const b = await inCapacity({});
    const c = await inCapacity({});
    const d = await inCapacity({});
    expect([a, b, c, d].map((r) => r.registration.sessions[0]!.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'WAITLISTED']);
    expect([c, d].map((r) => r.registration.sessions[0]!.waitlistPosition)).toEqual([1, 2]);
    expect(c.registration.sessions[0]!.zoomLink).toBeNull();

    const cancelled = await client.request(CancelRegistrationDocument, { input: { manageToken: a.manageToken! } });
    expect(cancelled.cancelRegistration.__typename).toBe('RegistrationPayload');
    expect((await view(c.manageToken!))!.sessions[0]).toMatchObject({ status: 'CONFIRMED', waitlistPosition: null });
    expect((await view(d.manageToken!))!.sessions[0]).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    expect((await view(a.manageToken!))!.cancelledAt).not.toBeNull();
    expect((await view(a.manageToken!))!.sessions).toEqual([]);

    // Room seats are counted apart from remote ones.
    const room1 = await inCapacity({ attendanceMode: 'IN_PERSON' });
    const room2 = await inCapacity({ attendanceMode: 'IN_PERSON' });
    expect([room1, room2].map((r) => r.registration.sessions[0]!.status)).toEqual(['CONFIRMED', 'WAITLISTED']);

    // Moving online frees the room seat for the one waiting, and joins the online waitlist.
    const moved = await client.request(UpdateRegistrationDocument, { input: { manageToken: room1.manageToken!, attendanceMode: 'REMOTE' } });
    expect(moved.updateRegistration.__typename).toBe('RegistrationPayload');
    expect((await view(room2.manageToken!))!.sessions[0]!.status).toBe('CONFIRMED');
    expect((await view(room1.manageToken!))!.sessions[0]).toMatchObject({ status: 'WAITLISTED', attendanceMode: 'REMOTE', waitlistPosition: 2 });
  });

  it('publishes seats left and waitlist length per mode', async () => {
    await importEvent(futureEvent('seats', { remoteSeats: 1 }));
    const { event } = await client.request(SessionAvailabilityDocument, { slug: 'seats' });
    const first = event!.agenda[0]!.items[0]!.session!.id;
    await registered({ eventSlug: 'seats', sessionIds: [first] });
    await registered({ eventSlug: 'seats', sessionIds: [first] });
    const { event: after } = await client.request(SessionAvailabilityDocument, { slug: 'seats' });
    expect(after!.agenda[0]!.items[0]!.session!.availability).toEqual([
      { attendanceMode: 'IN_PERSON', seats: null, seatsLeft: null, waitlistLength: 0 },
      { attendanceMode: 'REMOTE', seats: 1, seatsLeft: 0, waitlistLength: 1 },
    ]);
  });

  it('refuses bad input with typed errors that name the field, and changes nothing', async () => {
    const before = await prisma.sessionRegistration.count();
    const refusals: [Partial<RegisterForEventInput>, string][] = [
      [{ sessionIds: [] }, 'input.sessionIds'],
      [{ sessionIds: [breakId] }, 'input.sessionIds[0]'],
      [{ sessionIds: [session1, session1] }, 'input.sessionIds[1]'],
      [{ interpretationLanguage: 'de' }, 'input.interpretationLanguage'],
      [{ consent: false }, 'input.consent'],
      [{ email: 'not an email' }, 'input.email'],
      [{ name: '  ' }, 'input.name'],
    ];
    for (const [overrides, path] of refusals) {
      const result = await register(overrides);
      expect(result).toMatchObject({ __typename: 'ValidationError', code: 'BAD_USER_INPUT' });
      expect(result.__typename === 'ValidationError' && result.fields.map((field) => field.path)).toContain(path);
    }
    const otherEvent = await prisma.session.findFirstOrThrow({ where: { event: { slug: 'ohchr-remedy-tech-2021' } } });
    const foreign = await register({ sessionIds: [Buffer.from(`Session:${otherEvent.id}`).toString('base64')] });
    expect(foreign.__typename === 'ValidationError' && foreign.fields[0]!.path).toBe('input.sessionIds[0]');
    expect(await register({ eventSlug: 'no-such-event' })).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await prisma.sessionRegistration.count()).toBe(before);
  });

  it('refuses registrations when registration is closed', async () => {
    const closed = futureEvent('closed');
    closed.event.registrationClosesAt = new Date(Date.now() - 60_000).toISOString();
    await importEvent(closed);
    const { event } = await client.request(SessionAvailabilityDocument, { slug: 'closed' });
    const result = await register({ eventSlug: 'closed', sessionIds: [event!.agenda[0]!.items[0]!.session!.id] });
    expect(result).toMatchObject({ __typename: 'RegistrationClosedError', code: 'REGISTRATION_CLOSED' });
    // The seeded consultation took place in 2021.
    const past = await register({ eventSlug: 'ohchr-remedy-tech-2021', sessionIds: [session1] });
    expect(past.__typename).toBe('RegistrationClosedError');
  });

  it('lets the token holder update and cancel, and nobody without it', async () => {
    const { manageToken } = await registered({ sessionIds: [session1] });
    const updated = await client.request(UpdateRegistrationDocument, { input: { manageToken: manageToken!, sessionIds: [session1, session2], interpretationLanguage: 'fr' } });
    expect(updated.updateRegistration.__typename === 'RegistrationPayload' && updated.updateRegistration.registration).toMatchObject({
      interpretationLanguage: 'fr',
      sessions: [{ session: { number: 1 } }, { session: { number: 2 } }],
    });
    const badLanguage = await client.request(UpdateRegistrationDocument, { input: { manageToken: manageToken!, interpretationLanguage: 'de' } });
    expect(badLanguage.updateRegistration.__typename).toBe('ValidationError');
    const wrongToken = await client.request(CancelRegistrationDocument, { input: { manageToken: 'reg_wrong' } });
    expect(wrongToken.cancelRegistration).toMatchObject({ __typename: 'NotFoundError' });
    expect((await view(manageToken!))!.sessions).toHaveLength(2);
  });
});

describe('requestManageLink', () => {
  it('runs the same SQL statements for a registered address and for one nobody registered', async () => {
    const { registration } = await registered({ email: 'remembered@example.org' });
    const ask = (email: string) => withStatementLog(() => client.request(RequestManageLinkDocument, { input: { eventSlug: slug, email } }));
    // A first call starts the job queue and compiles the statements.
    await ask('warm-up@example.org');
    const known = await ask(registration.email);
    const unknown = await ask('nobody-registered@example.org');
    expect(known.result).toEqual(unknown.result);
    expect(known.statements.length).toBeGreaterThan(0);
    expect(unknown.statements).toEqual(known.statements);
    // The job carries the address sealed, not in clear.
    const jobs = await prisma.$queryRawUnsafe<{ data: unknown }[]>(`SELECT data FROM pgboss.job WHERE name = 'manage-link-requests'`);
    expect(jobs).toHaveLength(3);
    expect(JSON.stringify(jobs)).not.toContain('@example.org');
  });
});
