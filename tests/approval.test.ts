import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.MAIL_POLL_SECONDS = '0.5';
  process.env.ADMIN_SECRET = 'approval-admin-secret';
});

import { prisma } from '../src/db/client.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { databaseOperator, issueAdminToken } from '../src/rules/admin-tokens.js';
import { postGraphQL } from './support/api.js';
import { futureEvent } from './support/future-event.js';
import { sessionIdsOf, startInboxAndWorker } from './support/mail.js';
import { sentTo, type Inbox } from './support/smtp.js';

// Registrations in a mode that needs approval (a grounds pass for the Palais des Nations) wait
// for the desk's review, through HTTP, on PGlite or PostgreSQL (DATABASE_URL).

const asSecret = { authorization: 'Bearer approval-admin-secret' };
let reviewer: Record<string, string>;
let inbox: Inbox;

function reviewedEvent(slug: string, roomSeats: number) {
  const file = futureEvent(slug, { roomSeats, remoteSeats: 100 });
  return { ...file, event: { ...file.event, contentLanguages: ['en', 'fr'], approvalRequiredFor: ['IN_PERSON'], approvalInstructions: 'Collect your grounds pass at the Pregny gate.', translations: { fr: { approvalInstructions: 'Retirez votre badge au portail de Pregny.' } } } };
}

const register = /* GraphQL */ `
  mutation ($input: RegisterForEventInput!) {
    registerForEvent(input: $input) {
      __typename
      ... on RegisterForEventPayload { manageToken registration { id approval sessions { status } } }
      ... on Error { code message }
    }
  }`;

async function registerPerson(slug: string, sessionIds: string[], email: string, attendanceMode = 'IN_PERSON', interpretationLanguage = 'en') {
  const { json } = await postGraphQL({ query: register, variables: { input: { eventSlug: slug, name: email, email, attendanceMode, sessionIds, interpretationLanguage, consent: true } } });
  const payload = json.data.registerForEvent;
  if (payload.__typename !== 'RegisterForEventPayload') throw new Error(JSON.stringify(json));
  return { id: payload.registration.id as string, token: payload.manageToken as string, email, payload };
}

const review = /* GraphQL */ `
  mutation ($approve: ApproveRegistrationsInput!, $decline: DeclineRegistrationsInput!, $approving: Boolean!) {
    approveRegistrations(input: $approve) @include(if: $approving) {
      __typename
      ... on ReviewRegistrationsPayload { registrations { id approval sessions { status waitlistPosition } } }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
    declineRegistrations(input: $decline) @skip(if: $approving) {
      __typename
      ... on ReviewRegistrationsPayload { registrations { id approval sessions { status } } }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }`;

async function approve(ids: string[], headers = reviewer) {
  const { json } = await postGraphQL({ query: review, variables: { approve: { ids }, decline: { ids: [] }, approving: true } }, headers);
  return json.data.approveRegistrations;
}

async function decline(ids: string[], reason?: string, headers = reviewer) {
  const { json } = await postGraphQL({ query: review, variables: { approve: { ids: [] }, decline: { ids, reason }, approving: false } }, headers);
  return json.data.declineRegistrations;
}

async function availability(slug: string, number = 1) {
  const { json } = await postGraphQL({
    query: /* GraphQL */ `query ($slug: String!) { event(slug: $slug) { sessions { edges { node { number availability { attendanceMode seatsLeft waitlistLength pendingCount } } } } } }`,
    variables: { slug },
  });
  const session = json.data.event.sessions.edges.find((edge: { node: { number: number } }) => edge.node.number === number).node;
  return session.availability.find((row: { attendanceMode: string }) => row.attendanceMode === 'IN_PERSON');
}

const statusesOf = async (slug: string) =>
  Object.fromEntries(
    (await prisma.sessionRegistration.groupBy({ by: ['status'], where: { session: { event: { slug }, number: 1 }, attendanceMode: 'IN_PERSON' }, _count: true })).map((row) => [row.status, row._count]),
  );

beforeAll(async () => {
  const { token } = await issueAdminToken('desk', ['REVIEW_REGISTRATIONS'], databaseOperator);
  reviewer = { authorization: `Bearer ${token}` };
  inbox = await startInboxAndWorker();
});

afterAll(async () => {
  await inbox.close();
});

describe('approval of in-person places', () => {
  it('200 requests for 50 seats wait, holding no seat; four concurrent approvals of 50 seat exactly 50, in the order the requests were made', async () => {
    await importEvent(reviewedEvent('desk-rush', 50));
    const { 1: session } = await sessionIdsOf('desk-rush');
    const people: Awaited<ReturnType<typeof registerPerson>>[] = [];
    // One after another: the order the requests were made is the order they were registered in.
    for (let index = 0; index < 200; index++) people.push(await registerPerson('desk-rush', [session!], `rush${index}@example.org`));
    expect(new Set(people.map((person) => person.payload.registration.approval))).toEqual(new Set(['PENDING']));
    expect(new Set(people.map((person) => person.payload.registration.sessions[0].status))).toEqual(new Set(['PENDING']));
    expect(await availability('desk-rush')).toEqual({ attendanceMode: 'IN_PERSON', seatsLeft: 50, waitlistLength: 0, pendingCount: 200 });

    const batches = [0, 1, 2, 3].map((batch) => people.slice(batch * 50, batch * 50 + 50).map((person) => person.id));
    const answers = await Promise.all(batches.map((ids) => approve(ids)));
    expect(answers.map((answer) => answer.__typename)).toEqual(Array(4).fill('ReviewRegistrationsPayload'));
    expect(await statusesOf('desk-rush')).toEqual({ CONFIRMED: 50, WAITLISTED: 150 });
    expect(await availability('desk-rush')).toEqual({ attendanceMode: 'IN_PERSON', seatsLeft: 0, waitlistLength: 150, pendingCount: 0 });

    // Batches are seated as they commit (whole, here: each asks 50 of 50 seats); the line behind
    // follows the order the requests were made, whichever batch each came in.
    const rows = await prisma.sessionRegistration.findMany({ where: { session: { event: { slug: 'desk-rush' }, number: 1 } }, include: { registration: { select: { email: true } } } });
    const statusOf = new Map(rows.map((row) => [row.registration.email, row.status]));
    const confirmedBatch = batches.findIndex((ids) => ids.every((id) => statusOf.get(people.find((person) => person.id === id)!.email) === 'CONFIRMED'));
    expect(confirmedBatch).toBeGreaterThanOrEqual(0);
    const waiting = rows.filter((row) => row.status === 'WAITLISTED').sort((a, b) => a.statusChangedAt.getTime() - b.statusChangedAt.getTime() || a.id.localeCompare(b.id));
    const requestOrder = people.map((person) => person.email).filter((email) => statusOf.get(email) === 'WAITLISTED');
    expect(waiting.map((row) => row.registration.email)).toEqual(requestOrder);
    // Approved: mailed once each, with the event's instructions in their language.
    const first = people[confirmedBatch * 50]!;
    const mail = await inbox.waitFor((parsed) => sentTo(first.email)(parsed) && parsed.subject!.startsWith('Your request is approved'));
    expect(mail.text).toContain('Collect your grounds pass at the Pregny gate.');
    expect(mail.text).toMatch(/Session 1: Soon .*: confirmed, in person/);
    const last = people[confirmedBatch === 3 ? 0 : 199]!;
    const waitlisted = await inbox.waitFor((parsed) => sentTo(last.email)(parsed) && parsed.subject!.startsWith('Your request is approved'));
    expect(waitlisted.text).toMatch(/Session 1: Soon .*: on the waiting list, number \d+, in person/);
  });

  it('approvals by several admins while registrants cancel never exceed the seats', async () => {
    await importEvent(reviewedEvent('desk-churn', 10));
    const { 1: session } = await sessionIdsOf('desk-churn');
    const people: Awaited<ReturnType<typeof registerPerson>>[] = [];
    for (let index = 0; index < 40; index++) people.push(await registerPerson('desk-churn', [session!], `churn${index}@example.org`));
    await approve(people.slice(0, 10).map((person) => person.id));
    expect(await statusesOf('desk-churn')).toEqual({ CONFIRMED: 10, PENDING: 30 });
    const cancel = /* GraphQL */ `mutation ($input: CancelRegistrationInput!) { cancelRegistration(input: $input) { __typename } }`;
    // Five seated registrants cancel while three admins approve the other thirty at once.
    await Promise.all([
      ...people.slice(0, 5).map((person) => postGraphQL({ query: cancel, variables: { input: { manageToken: person.token } } })),
      ...[10, 20, 30].map((start) => approve(people.slice(start, start + 10).map((person) => person.id))),
    ]);
    expect(await statusesOf('desk-churn')).toEqual({ CONFIRMED: 10, WAITLISTED: 25, CANCELLED: 5 });
  });

  it('a pending request can change or cancel; changing to a mode needing no approval confirms at once', async () => {
    await importEvent(reviewedEvent('desk-change', 5));
    const { 1: session } = await sessionIdsOf('desk-change');
    const ana = await registerPerson('desk-change', [session!], 'ana@example.org');
    const update = /* GraphQL */ `mutation ($input: UpdateRegistrationInput!) { updateRegistration(input: $input) { ... on RegistrationPayload { registration { approval attendanceMode sessions { status attendanceMode } } } ... on ValidationError { fields { path message } } } }`;
    const { json } = await postGraphQL({ query: update, variables: { input: { manageToken: ana.token, attendanceMode: 'REMOTE', sessionIds: [session] } } });
    expect(json.data.updateRegistration.registration).toEqual({ approval: 'NOT_REQUIRED', attendanceMode: 'REMOTE', sessions: [{ status: 'CONFIRMED', attendanceMode: 'REMOTE' }] });
    // Back in person: a new request, mailed as one.
    const back = await postGraphQL({ query: update, variables: { input: { manageToken: ana.token, attendanceMode: 'IN_PERSON', sessionIds: [session] } } });
    expect(back.json.data.updateRegistration.registration).toEqual({ approval: 'PENDING', attendanceMode: 'IN_PERSON', sessions: [{ status: 'PENDING', attendanceMode: 'IN_PERSON' }] });
    expect(await availability('desk-change')).toMatchObject({ seatsLeft: 5, pendingCount: 1 });
    // Declined: asking again in person is refused, nothing changed.
    expect((await decline([ana.id])).__typename).toBe('ReviewRegistrationsPayload');
    const again = await postGraphQL({ query: update, variables: { input: { manageToken: ana.token, sessionIds: [session] } } });
    expect(again.json.data.updateRegistration.fields).toEqual([{ path: 'input.sessionIds', message: 'the request to attend in person was declined' }]);
    expect(await availability('desk-change')).toMatchObject({ seatsLeft: 5, pendingCount: 0 });
  });

  it('refuses bad reviews with the offending ids and changes nothing', async () => {
    await importEvent(reviewedEvent('desk-refusals', 5));
    await importEvent(reviewedEvent('desk-other', 5));
    const { 1: session } = await sessionIdsOf('desk-refusals');
    const { 1: otherSession } = await sessionIdsOf('desk-other');
    const pending = await registerPerson('desk-refusals', [session!], 'pending@example.org');
    const remote = await registerPerson('desk-refusals', [session!], 'remote@example.org', 'REMOTE');
    const declined = await registerPerson('desk-refusals', [session!], 'declined@example.org');
    const cancelled = await registerPerson('desk-refusals', [session!], 'cancelled@example.org');
    const other = await registerPerson('desk-other', [otherSession!], 'other@example.org');
    await decline([declined.id]);
    await postGraphQL({ query: `mutation ($input: CancelRegistrationInput!) { cancelRegistration(input: $input) { __typename } }`, variables: { input: { manageToken: cancelled.token } } });
    const unknown = Buffer.from('Registration:00000000-0000-7000-8000-000000000000').toString('base64');

    const refused = await approve([pending.id, unknown, other.id, declined.id, cancelled.id, remote.id, pending.id]);
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.fields).toEqual([
      { path: 'input.ids[1]', message: 'names no registration' },
      { path: 'input.ids[2]', message: 'is a registration of another event: review one event at a time' },
      { path: 'input.ids[3]', message: 'was declined' },
      { path: 'input.ids[4]', message: 'was cancelled by the registrant' },
      { path: 'input.ids[5]', message: 'needs no approval' },
      { path: 'input.ids[6]', message: 'is named twice' },
    ]);
    expect((await approve([])).fields).toEqual([{ path: 'input.ids', message: 'name at least one registration' }]);
    const tooLong = await decline([pending.id], 'x'.repeat(1_001));
    expect(tooLong.__typename).toBe('ValidationError');
    expect(tooLong.fields).toEqual([{ path: 'input.reason', message: 'must be at most 1000 characters' }]);
    expect(await prisma.registration.findUniqueOrThrow({ where: { id: decodeGlobalID(pending.id).id }, select: { approval: true } })).toEqual({ approval: 'PENDING' });
    // The scope: WRITE_EVENTS is not enough.
    const { token } = await issueAdminToken('writer', ['WRITE_EVENTS', 'READ_REGISTRATIONS'], databaseOperator);
    expect((await approve([pending.id], { authorization: `Bearer ${token}` })).__typename).toBe('ForbiddenError');
    // The list of requests waiting for review.
    const { json } = await postGraphQL({ query: `{ registrations(eventSlug: "desk-refusals", approval: PENDING) { edges { node { email } } } }` }, asSecret);
    expect(json.data.registrations.edges.map((edge: { node: { email: string } }) => edge.node.email)).toEqual(['pending@example.org']);
    // The request is acknowledged, sessions shown as awaiting approval.
    const received = await inbox.waitFor((parsed) => sentTo(pending.email)(parsed) && parsed.subject!.startsWith('Request received, awaiting approval'));
    expect(received.text).toMatch(/Session 1: Soon .*: awaiting approval, in person/);
  });

  it('a decline mails its reason in the registrant\'s language; an approval withdrawn frees the seat for the next in line', async () => {
    await importEvent(reviewedEvent('desk-decline', 1));
    const { 1: session } = await sessionIdsOf('desk-decline');
    const first = await registerPerson('desk-decline', [session!], 'first@example.org', 'IN_PERSON', 'fr');
    const second = await registerPerson('desk-decline', [session!], 'second@example.org');
    await approve([first.id, second.id]);
    expect(await statusesOf('desk-decline')).toEqual({ CONFIRMED: 1, WAITLISTED: 1 });
    const declined = await decline([first.id], 'No grounds pass can be issued for this date.');
    expect(declined.registrations).toEqual([{ id: first.id, approval: 'DECLINED', sessions: [] }]);
    expect(await statusesOf('desk-decline')).toEqual({ CONFIRMED: 1, CANCELLED: 1 });
    const mail = await inbox.waitFor((parsed) => sentTo(first.email)(parsed) && parsed.subject!.startsWith('Votre demande a été refusée'));
    expect(mail.text).toContain('Motif\u202f: No grounds pass can be issued for this date.');
    await inbox.waitFor((parsed) => sentTo(second.email)(parsed) && parsed.subject!.startsWith('A seat is now yours'));
    // Import and updateEvent refuse a mode the format doesn't offer.
    const online = reviewedEvent('desk-online', 1);
    online.event.format = 'ONLINE';
    await expect(importEvent(online)).rejects.toMatchObject({ issues: [{ path: 'event.approvalRequiredFor[0]', message: 'the event\'s format (ONLINE) offers no IN_PERSON attendance' }] });
  });
});
