import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { print } from 'graphql';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // Quick polling and retries, so the test doesn't wait minutes for a backoff.
  process.env.MAIL_POLL_SECONDS = '0.5';
  process.env.MAIL_RETRY_DELAY_SECONDS = '1';
  process.env.MAIL_RETRY_LIMIT = '3';
  process.env.MANAGE_URL = 'https://register.example/manage?key={token}';
  process.env.ADMIN_SECRET = 'messages-admin-secret';
  // Every line the mail code logs, to check that none gives away an address, a link or a token.
  process.env.LOG_LEVEL = 'info';
});

import { yoga } from '../src/app.js';
import {
  CancelRegistrationDocument,
  MyRegistrationDocument,
  RegisterForEventDocument,
  RegistrationMessagesDocument,
  ResendMessageDocument,
  RequestManageLinkDocument,
  UpdateRegistrationDocument,
  UpdateSessionDocument,
  type RegisterForEventInput,
} from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { composeMessage } from '../src/mail/messages.js';
import { createDelivery } from '../src/mail/transport.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { calendarFeedKey } from '../src/rules/registrant-keys.js';
import { databaseOperator, issueAdminToken } from '../src/rules/admin-tokens.js';
import { apiClient, postGraphQL, withStatementLog } from './support/api.js';
import { futureEvent } from './support/future-event.js';
import { sessionIdsOf, startInboxAndWorker } from './support/mail.js';
import { sentTo, type Inbox } from './support/smtp.js';
import type { ParsedMail } from 'mailparser';

const client = apiClient();
const asAdmin = apiClient({ authorization: 'Bearer messages-admin-secret' });
const slug = 'messages';
let inbox: Inbox;
let session1: string;
let session2: string;

async function register(overrides: Partial<RegisterForEventInput>) {
  const input: RegisterForEventInput = {
    eventSlug: overrides.eventSlug ?? slug,
    name: 'Ana Registrant',
    email: `${Math.random().toString(36).slice(2)}@example.org`,
    attendanceMode: 'REMOTE',
    sessionIds: [session1],
    consent: true,
    ...overrides,
  };
  const { registerForEvent } = await client.request(RegisterForEventDocument, { input });
  if (registerForEvent.__typename !== 'RegisterForEventPayload') throw new Error(`refused: ${JSON.stringify(registerForEvent)}`);
  // The registration's row id, for reading the database directly.
  const rowId = registerForEvent.registration && decodeGlobalID(registerForEvent.registration.id).id;
  return { ...registerForEvent, email: input.email, rowId };
}

/** The manage link's key, from a message's text. */
const manageKeyIn = (text: string) => decodeURIComponent(/https:\/\/register\.example\/manage\?key=(\S+)/.exec(text)![1]!);

/** What the process wrote to stdout (its JSON log lines), kept rather than printed. */
const logged: string[] = [];

beforeAll(async () => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
  await importEvent(futureEvent(slug, { remoteSeats: 1 }));
  ({ 1: session1, 2: session2 } = (await sessionIdsOf(slug)) as Record<1 | 2, string>);
  inbox = await startInboxAndWorker();
});

afterAll(async () => {
  await inbox.close();
});

describe('confirmation', () => {
  it('mails a new registrant their sessions and standing, times in the event zone, a manage link and their calendar', async () => {
    // Session 2's one remote seat goes first, so Ana waits for it.
    await register({ sessionIds: [session2] });
    const ana = await register({ sessionIds: [session1, session2], interpretationLanguage: 'es', name: 'Ana <b>Registrant</b>' });
    const mail = await inbox.waitFor(sentTo(ana.email));
    expect(mail.from!.value).toEqual([{ name: 'Registration', address: 'registration@events.example' }]);
    expect(mail.subject).toBe('Su inscripción: Consultation messages');
    const sessions = await prisma.session.findMany({ where: { event: { slug } }, orderBy: { number: 'asc' } });
    const zurich = (at: Date) => new Intl.DateTimeFormat('es', { timeZone: 'Europe/Zurich', timeStyle: 'short', hourCycle: 'h23' }).format(at);
    // The name the registrant typed is not printed: whoever registers an address writes it.
    expect(mail.text).toMatch(/^Hola:\n/);
    expect(mail.text).toMatch(new RegExp(`Sesión 1: Soon \\(.*${zurich(sessions[0]!.startsAt)}.*Europe/Zurich.*\\): confirmada, en línea`));
    expect(mail.text).toMatch(new RegExp(`Sesión 2: Later \\(.*${zurich(sessions[1]!.startsAt)}.*Europe/Zurich.*\\): en lista de espera, número 1, en línea`));
    expect(`${mail.text}${mail.html}`).not.toContain('Registrant');

    // The manage link opens the registration, and only that one.
    const key = manageKeyIn(mail.text!);
    const opened = await client.request(MyRegistrationDocument, { manageToken: key });
    expect(opened.registration!.email).toBe(ana.email);
    expect(mail.html).toContain(`href="https://register.example/manage?key=${encodeURIComponent(key)}"`);
    expect((await client.request(MyRegistrationDocument, { manageToken: `${key.slice(0, -2)}xx` })).registration).toBeNull();

    // The attachment is the personal feed, byte for byte, and holds the sessions' instants.
    const [ics] = mail.attachments;
    expect(ics!.contentType).toBe('text/calendar');
    const stored = await prisma.registration.findUniqueOrThrow({ where: { id: ana.rowId! } });
    const feed = await (await yoga.fetch(`http://api.test/registrations/${calendarFeedKey(stored)}.ics`)).text();
    expect(ics!.content.toString('utf8')).toBe(feed);
    const events = new ICAL.Component(ICAL.parse(ics!.content.toString('utf8'))).getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    // iCalendar counts whole seconds.
    const seconds = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;
    expect(events.map((event) => event.startDate.toJSDate().getTime())).toEqual(sessions.map((session) => seconds(session.startsAt)));
    expect(events.map((event) => event.endDate.toJSDate().getTime())).toEqual(sessions.map((session) => seconds(session.endsAt)));

    const confirmation = () => prisma.message.findFirstOrThrow({ where: { registrationId: stored.id, kind: 'CONFIRMATION' } });
    await vi.waitUntil(async () => (await confirmation()).status === 'SENT', { timeout: 10_000, interval: 100 });
    expect(await confirmation()).toMatchObject({ kind: 'CONFIRMATION', status: 'SENT', attempts: 1, lastError: null });
  });

  it('writes English for a registrant with no interpretation language, French for fr', async () => {
    const english = await register({});
    const french = await register({ interpretationLanguage: 'fr' });
    expect((await inbox.waitFor(sentTo(english.email))).subject).toBe('Your registration: Consultation messages');
    const mail = await inbox.waitFor(sentTo(french.email));
    expect(mail.subject).toBe('Votre inscription\u202f: Consultation messages');
    expect(mail.text).toMatch(/^Bonjour,\n/);
    // Session 1's one remote seat is taken.
    expect(mail.text).toMatch(/Séance 1\u202f: Soon \(.+, Europe\/Zurich \(heure .+\)\)\u202f: en liste d’attente, rang \d+, en ligne/);
  });
});

describe('registering with an address already registered', () => {
  it('changes nothing, rotates no token, answers like a new registration, and mails the owner their manage link', async () => {
    const owner = await register({ name: 'Owner', sessionIds: [session1] });
    await inbox.waitFor(sentTo(owner.email));
    const before = await prisma.registration.findUniqueOrThrow({ where: { id: owner.rowId! }, include: { sessions: true } });

    const attempt = await register({ email: owner.email.toUpperCase(), name: 'Intruder', sessionIds: [session2], attendanceMode: 'IN_PERSON' });
    expect(attempt).toMatchObject({ __typename: 'RegisterForEventPayload', manageToken: null, registration: null });
    const after = await prisma.registration.findUniqueOrThrow({ where: { id: owner.rowId! }, include: { sessions: true } });
    expect(after).toEqual(before);
    expect((await client.request(MyRegistrationDocument, { manageToken: owner.manageToken! })).registration!.name).toBe('Owner');

    const notice = await inbox.waitFor((mail) => sentTo(owner.email)(mail) && mail.subject!.startsWith('Someone tried'));
    expect(notice.text).toContain('nothing was changed');
    expect((await client.request(MyRegistrationDocument, { manageToken: manageKeyIn(notice.text!) })).registration!.name).toBe('Owner');
    expect(inbox.to(owner.email)).toHaveLength(2);
  });
});

describe('requestManageLink', () => {
  const ask = (eventSlug: string, email: string) =>
    yoga.fetch('http://api.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(RequestManageLinkDocument), variables: { input: { eventSlug, email } } }),
    });

  it('mails a registrant their manage link, and answers byte for byte the same for an address nobody registered', async () => {
    const registrant = await register({ name: 'Forgetful', interpretationLanguage: 'fr' });
    await inbox.waitFor(sentTo(registrant.email));
    const known = await ask(slug, ` ${registrant.email.toUpperCase()} `);
    const unknown = await ask(slug, `nobody-${Date.now()}@example.org`);
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect([...unknown.headers.keys()]).toEqual([...known.headers.keys()]);
    const body = await known.text();
    expect(await unknown.text()).toBe(body);
    expect(JSON.parse(body).data.requestManageLink.__typename).toBe('RequestManageLinkPayload');

    const mail = await inbox.waitFor((parsed) => sentTo(registrant.email)(parsed) && parsed.subject!.startsWith('Le lien de votre inscription'));
    expect(mail.text).toContain('Vous avez demandé le lien');
    expect((await client.request(MyRegistrationDocument, { manageToken: manageKeyIn(mail.text!) })).registration!.email).toBe(registrant.email);
    expect(await prisma.message.count({ where: { kind: 'MANAGE_LINK', registration: { email: { startsWith: 'nobody-' } } } })).toBe(0);
  });

  it('mails one address at most MESSAGES_PER_EMAIL times in 15 minutes, answering every request the same', async () => {
    const registrant = await register({});
    const answers = new Set<string>();
    for (let index = 0; index < 7; index += 1) answers.add(await (await ask(slug, registrant.email)).text());
    expect(answers.size).toBe(1);
    await inbox.waitFor(() => inbox.to(registrant.email).filter((mail) => mail.subject!.startsWith('Your registration link')).length === 5);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await prisma.message.count({ where: { kind: 'MANAGE_LINK', registrationId: registrant.rowId! } })).toBe(5);
    expect(inbox.to(registrant.email).filter((mail) => mail.subject!.startsWith('Your registration link'))).toHaveLength(5);
  });

  it('refuses an unknown event and a malformed address, as it would for anyone', async () => {
    expect((await (await ask('no-such-event', 'a@example.org')).json()).data.requestManageLink).toMatchObject({ __typename: 'NotFoundError' });
    expect((await (await ask(slug, 'not an address')).json()).data.requestManageLink).toMatchObject({ __typename: 'ValidationError', code: 'BAD_USER_INPUT' });
  });
});

describe('waitlist promotion', () => {
  const promotionSlug = 'messages-promotion';
  const isPromotion = (email: string) => (mail: ParsedMail) => sentTo(email)(mail) && mail.subject!.startsWith('A seat is now yours');

  it('mails each registrant moved from the waitlist to a seat, whatever freed or added it, in the transaction that promotes them', async () => {
    const file = futureEvent(promotionSlug, { roomSeats: 1, remoteSeats: 1 });
    await importEvent(file);
    // Session 2, ten days ahead: no join link is due, so a promotion is the only mail besides the confirmation.
    const later = (await sessionIdsOf(promotionSlug))[2]!;
    const as = (name: string, attendanceMode: 'REMOTE' | 'IN_PERSON') =>
      register({ eventSlug: promotionSlug, name, email: `${name.toLowerCase()}-${Date.now()}@example.org`, attendanceMode, sessionIds: [later] });
    const promotions = async () => prisma.message.findMany({ where: { kind: 'PROMOTION', registration: { event: { slug: promotionSlug } } }, select: { registrationId: true, sessionId: true } });

    const [a, b, c] = [await as('Ada', 'REMOTE'), await as('Ben', 'REMOTE'), await as('Cy', 'REMOTE')];
    // A cancellation frees Ada's seat: Ben, first in line, gets it, and his mail is queued with it.
    await client.request(CancelRegistrationDocument, { input: { manageToken: a.manageToken! } });
    expect(await promotions()).toEqual([{ registrationId: b.rowId, sessionId: decodeGlobalID(later).id }]);
    const mail = await inbox.waitFor(isPromotion(b.email));
    expect(mail.text).toContain('A seat has become free at Consultation messages-promotion, and it is now yours:');
    expect(mail.text).toMatch(/- Session 2: Later \(.+Europe\/Zurich.+\): confirmed, online/);

    // An admin adds seats: Cy gets one.
    const updated = await asAdmin.request(UpdateSessionDocument, { input: { id: later, remoteSeats: 3 } });
    expect(updated.updateSession.__typename).toBe('SessionPayload');
    await inbox.waitFor(isPromotion(c.email));

    // A change of mode frees a room seat; an import with more room seats fills the rest.
    const [f, g, h] = [await as('Fay', 'IN_PERSON'), await as('Gil', 'IN_PERSON'), await as('Hal', 'IN_PERSON')];
    await client.request(UpdateRegistrationDocument, { input: { manageToken: f.manageToken!, attendanceMode: 'REMOTE' } });
    await inbox.waitFor(isPromotion(g.email));
    file.event.sessions![1]!.roomSeats = 3;
    await importEvent(file);
    await inbox.waitFor(isPromotion(h.email));

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await promotions()).map((row) => row.registrationId).sort()).toEqual([b.rowId, c.rowId, g.rowId, h.rowId].sort());
    for (const registrant of [a, b, c, f, g, h]) expect(inbox.to(registrant.email).filter((parsed) => parsed.subject!.startsWith('A seat'))).toHaveLength([b, c, g, h].includes(registrant) ? 1 : 0);
  });
});

describe('a cancelled registration', () => {
  it('comes back by choosing sessions again with its manage link, confirmed by mail like a new one; without sessions it is refused', async () => {
    const back = await register({ name: 'Returning', sessionIds: [session2], attendanceMode: 'IN_PERSON' });
    await inbox.waitFor(sentTo(back.email));
    await client.request(CancelRegistrationDocument, { input: { manageToken: back.manageToken! } });
    await inbox.waitFor((mail) => sentTo(back.email)(mail) && mail.subject!.startsWith('Registration cancelled'));
    const refused = await client.request(UpdateRegistrationDocument, { input: { manageToken: back.manageToken!, name: 'Still away' } });
    expect(refused.updateRegistration).toMatchObject({ __typename: 'RegistrationClosedError' });

    const revived = await client.request(UpdateRegistrationDocument, { input: { manageToken: back.manageToken!, sessionIds: [session2] } });
    if (revived.updateRegistration.__typename !== 'RegistrationPayload') throw new Error(JSON.stringify(revived));
    expect(revived.updateRegistration.registration).toMatchObject({ cancelledAt: null, sessions: [{ status: 'CONFIRMED', attendanceMode: 'IN_PERSON' }] });
    await vi.waitUntil(() => inbox.to(back.email).filter((mail) => mail.subject!.startsWith('Your registration')).length === 2, { timeout: 20_000, interval: 100 });
    // An ordinary change mails nothing.
    await client.request(UpdateRegistrationDocument, { input: { manageToken: back.manageToken!, name: 'Returned' } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(inbox.to(back.email).map((mail) => mail.subject)).toEqual([
      'Your registration: Consultation messages',
      'Registration cancelled: Consultation messages',
      'Your registration: Consultation messages',
    ]);
  });
});

describe('delivery failures', () => {
  it('marks a message the server refuses FAILED with its reason, and keeps the registration', async () => {
    inbox.refuse((address) => (address.startsWith('refused-') ? '550 5.1.1 mailbox unavailable' : null));
    const refused = await register({ email: `refused-${Date.now()}@example.org` });
    await vi.waitUntil(async () => (await prisma.message.findFirst({ where: { registrationId: refused.rowId!, status: 'FAILED' } })) !== null, { timeout: 20_000, interval: 200 });
    const message = await prisma.message.findFirstOrThrow({ where: { registrationId: refused.rowId!, kind: 'CONFIRMATION' } });
    expect(message.attempts).toBe(1);
    expect(message.lastError).toMatch(/550.*mailbox unavailable/);
    expect((await client.request(MyRegistrationDocument, { manageToken: refused.manageToken! })).registration!.sessions).toHaveLength(1);
    inbox.refuse(null);
  });

  it('retries with backoff while the server defers, and delivers once it accepts', async () => {
    let deferrals = 0;
    inbox.refuse((address) => (address.startsWith('deferred-') && deferrals++ < 2 ? '451 4.3.0 try again later' : null));
    const deferred = await register({ email: `deferred-${Date.now()}@example.org` });
    await inbox.waitFor(sentTo(deferred.email), 40_000);
    // The mail server has it before the worker records it.
    const sent = () => prisma.message.findFirstOrThrow({ where: { registrationId: deferred.rowId!, kind: 'CONFIRMATION' } });
    await vi.waitUntil(async () => (await sent()).status === 'SENT', { timeout: 10_000, interval: 100 });
    const message = await sent();
    expect(message).toMatchObject({ status: 'SENT', attempts: 3 });
    expect(message.lastError).toMatch(/451/);
    expect(inbox.to(deferred.email)).toHaveLength(1);
    inbox.refuse(null);
  });
});

describe('without SMTP_URL', () => {
  it('writes each message as an .eml file in MAIL_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'event-api-mail-'));
    const delivery = createDelivery({ smtpUrl: undefined, from: 'Registration <registration@events.example>', dir });
    const composed = composeMessage({
      kind: 'MANAGE_LINK',
      language: 'fr',
      event: { title: { text: 'Consultation', lang: 'fr' }, organizer: 'OHCHR', timeZone: 'Europe/Zurich' },
      manage: { url: null, key: 'the-key' },
      sessions: [],
    });
    await delivery.send({ to: 'zoe@example.org', ...composed });
    const [file] = await readdir(dir);
    const eml = await readFile(join(dir, file!), 'utf8');
    expect(file).toMatch(/\.eml$/);
    expect(eml).toContain('To: zoe@example.org');
    expect(eml).toContain('Content-Type: text/html');
  });
});

describe('Registration.messages and resendMessage', () => {
  it('show an admin with READ_REGISTRATIONS what was sent, and queue a new copy on request', async () => {
    const person = await register({ name: 'Watched', sessionIds: [session2] });
    await inbox.waitFor(sentTo(person.email));
    await vi.waitUntil(async () => (await prisma.message.findFirst({ where: { registrationId: person.rowId! } }))?.status === 'SENT', { timeout: 10_000, interval: 100 });
    const listed = async () => {
      const { registrations } = await asAdmin.request(RegistrationMessagesDocument, { eventSlug: slug, first: 100 });
      return registrations.edges.find((edge) => edge.node.email === person.email)!.node;
    };
    const [confirmation] = (await listed()).messages!;
    expect(confirmation).toMatchObject({ kind: 'CONFIRMATION', status: 'SENT', attempts: 1, lastError: null });
    expect(Date.parse(confirmation!.sentAt!)).toBeGreaterThanOrEqual(Date.parse(confirmation!.createdAt));

    const { resendMessage } = await asAdmin.request(ResendMessageDocument, { input: { messageId: confirmation!.id } });
    if (resendMessage.__typename !== 'ResendMessagePayload') throw new Error(JSON.stringify(resendMessage));
    expect(resendMessage.queuedMessage).toMatchObject({ kind: 'CONFIRMATION', status: 'QUEUED', attempts: 0, sentAt: null });
    await vi.waitUntil(() => inbox.to(person.email).length === 2, { timeout: 20_000, interval: 100 });
    await vi.waitUntil(async () => (await listed()).messages!.every((message) => message.status === 'SENT'), { timeout: 10_000, interval: 200 });
    expect((await listed()).messages!.map((message) => message.id)).toEqual([confirmation!.id, resendMessage.queuedMessage.id]);

    // The refused one shows why.
    const refused = await prisma.message.findFirst({ where: { status: 'FAILED', registration: { event: { slug } } } });
    const { registrations } = await asAdmin.request(RegistrationMessagesDocument, { eventSlug: slug, first: 100 });
    const failed = registrations.edges.flatMap((edge) => edge.node.messages!).find((message) => message.status === 'FAILED')!;
    expect(decodeGlobalID(failed.id).id).toBe(refused!.id);
    expect(failed.lastError).toMatch(/550/);
  });

  it('are refused to a manage token, to anyone else and to an admin token without READ_REGISTRATIONS (resending also needs WRITE_EVENTS)', async () => {
    const person = await register({ name: 'Private', sessionIds: [session2] });
    const messageId = (await asAdmin.request(RegistrationMessagesDocument, { eventSlug: slug, first: 100 })).registrations.edges.find((edge) => edge.node.email === person.email)!.node.messages![0]!.id;
    const { token: writer } = await issueAdminToken('writer', ['WRITE_EVENTS'], databaseOperator);
    for (const authorization of [`Bearer ${person.manageToken}`, `Bearer ${writer}`, undefined]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      const own = await postGraphQL({ query: `{ registration(manageToken: "${person.manageToken}") { name messages { kind } } }` }, headers);
      expect(own.json.data.registration).toEqual({ name: 'Private', messages: null });
      expect(own.json.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['FORBIDDEN']);
      const node = await postGraphQL({ query: `{ node(id: "${messageId}") { ... on Message { kind lastError } } }` }, headers);
      expect(node.json.data.node).toBeNull();
      expect(node.json.errors[0].extensions.code).toBe('FORBIDDEN');
      const resend = await postGraphQL({ query: print(ResendMessageDocument), variables: { input: { messageId } } }, headers);
      expect(resend.json.data.resendMessage.__typename).toBe('ForbiddenError');
    }
    // Reading registrations is not enough to mail a registrant.
    const { token: reader } = await issueAdminToken('reader', ['READ_REGISTRATIONS'], databaseOperator);
    const readOnly = await postGraphQL({ query: print(ResendMessageDocument), variables: { input: { messageId } } }, { authorization: `Bearer ${reader}` });
    expect(readOnly.json.data.resendMessage.__typename).toBe('ForbiddenError');
    expect(await prisma.message.count({ where: { registrationId: person.rowId! } })).toBe(1);
  });

  it('load in the same number of SQL statements for 2 registrations as for 20', async () => {
    const statements = async (first: number) => (await withStatementLog(() => asAdmin.request(RegistrationMessagesDocument, { eventSlug: slug, first }))).statements.length;
    const few = await statements(2);
    expect(await statements(20)).toBe(few);
  });
});

describe('logs', () => {
  it('name messages by id and kind, never by address, name, link or token', async () => {
    const lines = logged.join('').split('\n').filter(Boolean);
    expect(lines.some((line) => JSON.parse(line).msg === 'mail sent')).toBe(true);
    const registrations = await prisma.registration.findMany({ where: { event: { slug } } });
    const secrets = [
      ...registrations.flatMap((registration) => [registration.email, registration.name, registration.manageTokenHash!, calendarFeedKey(registration)!]),
      ...inbox.mail.flatMap((mail) => [...(mail.text!.match(/https?:\/\/\S+/g) ?? []), ...(mail.text!.match(/[0-9a-f-]{36}\.[\w-]{43}/g) ?? [])]),
    ];
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });
});
