import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // Quick polling and retries, so the test doesn't wait minutes for a backoff.
  process.env.MAIL_POLL_SECONDS = '0.5';
  process.env.MAIL_RETRY_DELAY_SECONDS = '1';
  process.env.MAIL_RETRY_LIMIT = '3';
  process.env.MANAGE_URL = 'https://register.example/manage?key={token}';
});

import { yoga } from '../src/app.js';
import { MyRegistrationDocument, RegisterForEventDocument, SessionAvailabilityDocument, type RegisterForEventInput } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { composeMessage } from '../src/mail/messages.js';
import { startMailWorker } from '../src/mail/worker.js';
import { createDelivery } from '../src/mail/transport.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { calendarFeedKey } from '../src/resolvers/registration/rules.js';
import { apiClient } from './support/api.js';
import { futureEvent } from './support/future-event.js';
import { sentTo, startInbox, type Inbox } from './support/smtp.js';

const client = apiClient();
const slug = 'messages';
let inbox: Inbox;
let session1: string;
let session2: string;

async function register(overrides: Partial<RegisterForEventInput>) {
  const input: RegisterForEventInput = {
    eventSlug: slug,
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

beforeAll(async () => {
  inbox = await startInbox();
  await importEvent(futureEvent(slug, { remoteSeats: 1 }));
  const { event } = await client.request(SessionAvailabilityDocument, { slug });
  const items = event!.agenda.flatMap((day) => day.items);
  session1 = items.find((item) => item.session?.number === 1)!.session!.id;
  session2 = items.find((item) => item.session?.number === 2)!.session!.id;
  await startMailWorker(createDelivery({ smtpUrl: inbox.url, from: 'Registration <registration@events.example>', dir: '' }));
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
    expect(mail.text).toContain('Estimado/a Ana <b>Registrant</b>:');
    expect(mail.text).toMatch(new RegExp(`Sesión 1: Soon \\(.*${zurich(sessions[0]!.startsAt)}.*Europe/Zurich.*\\): confirmada, en línea`));
    expect(mail.text).toMatch(new RegExp(`Sesión 2: Later \\(.*${zurich(sessions[1]!.startsAt)}.*Europe/Zurich.*\\): en lista de espera, número 1, en línea`));
    // HTML: the same, with the name escaped.
    expect(mail.html).toContain('Ana &#60;b&#62;Registrant&#60;/b&#62;');
    expect(mail.html).not.toContain('<b>Registrant');

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

    const message = await prisma.message.findFirstOrThrow({ where: { registrationId: stored.id } });
    expect(message).toMatchObject({ kind: 'CONFIRMATION', status: 'SENT', attempts: 1, lastError: null });
  });

  it('writes English for a registrant with no interpretation language, French for fr', async () => {
    const english = await register({});
    const french = await register({ interpretationLanguage: 'fr' });
    expect((await inbox.waitFor(sentTo(english.email))).subject).toBe('Your registration: Consultation messages');
    const mail = await inbox.waitFor(sentTo(french.email));
    expect(mail.subject).toBe('Votre inscription\u202f: Consultation messages');
    expect(mail.text).toContain('Bonjour Ana Registrant,');
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

describe('delivery failures', () => {
  it('marks a message the server refuses FAILED with its reason, and keeps the registration', async () => {
    inbox.refuse((address) => (address.startsWith('refused-') ? '550 5.1.1 mailbox unavailable' : null));
    const refused = await register({ email: `refused-${Date.now()}@example.org` });
    await vi.waitUntil(async () => (await prisma.message.findFirst({ where: { registrationId: refused.rowId!, status: 'FAILED' } })) !== null, { timeout: 20_000, interval: 200 });
    const message = await prisma.message.findFirstOrThrow({ where: { registrationId: refused.rowId! } });
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
    const message = await prisma.message.findFirstOrThrow({ where: { registrationId: deferred.rowId! } });
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
      name: 'Zoé',
      event: { title: 'Consultation', organizer: 'OHCHR', timeZone: 'Europe/Zurich' },
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
