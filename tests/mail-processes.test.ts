import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // This process queues join links when it imports the event, so it runs pg-boss too: with the
  // servers' setting, or its maintenance (which all instances take turns at) would look for the
  // jobs of a dead process only every minute.
  process.env.MAIL_SEND_TIMEOUT_SECONDS = '5';
});
import { ImportEventDocument, RegisterForEventDocument, RegistrationMessagesDocument, SessionAvailabilityDocument, type RegisterForEventInput } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';
import { sentTo, startInbox, type Inbox } from './support/smtp.js';

// Several API processes send the mail of one PostgreSQL database; PGlite belongs to a single
// process, so this runs in the PostgreSQL pass of the suite.
const sharedDatabase = process.env.DATABASE_URL;

// PostgreSQL only: PGlite is one process's in-process database, which two server processes can't share.
describe.runIf(sharedDatabase)('mail from two API processes sharing PostgreSQL (PostgreSQL only: skipped on PGlite, which two processes can\'t share)', () => {
  const slug = `mail-${randomUUID().slice(0, 8)}`;
  const adminSecret = 'mail-processes-secret';
  let inbox: Inbox;
  let a: ServerProcess;
  let b: ServerProcess;
  let session1: string;
  let session2: string;
  // Session 1 starts within the join-link lead time: each remote registrant gets its link at once.
  const file = futureEvent(slug);

  beforeAll(async () => {
    inbox = await startInbox();
    await importEvent(file);
    const env = {
      DATABASE_URL: sharedDatabase!,
      SMTP_URL: inbox.url,
      ADMIN_SECRET: adminSecret,
      MAIL_POLL_SECONDS: '0.5',
      MAIL_CONCURRENCY: '4',
      MAIL_RETRY_DELAY_SECONDS: '1',
      MAIL_RETRY_LIMIT: '10',
      // A message whose sender died is tried again after this (and pg-boss looks that often).
      MAIL_SEND_TIMEOUT_SECONDS: process.env.MAIL_SEND_TIMEOUT_SECONDS!,
      SCHEDULE_NOTICE_SETTLE_SECONDS: '1',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    const { event } = await graphql(a, print(SessionAvailabilityDocument), { slug });
    const sessions = event.agenda.flatMap((day: { items: { session: { id: string; number: number } | null }[] }) => day.items).flatMap((item: { session: { id: string; number: number } | null }) => item.session ?? []);
    session1 = sessions.find((session: { number: number }) => session.number === 1).id;
    session2 = sessions.find((session: { number: number }) => session.number === 2).id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await inbox?.close();
  });

  async function graphql(server: ServerProcess, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const json = await response.json();
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }

  /** Registers `count` people, alternately through each server, `parallel` at a time; returns their addresses. */
  async function registerMany(prefix: string, count: number, servers: ServerProcess[], parallel = 16): Promise<string[]> {
    const emails = Array.from({ length: count }, (_, index) => `${prefix}-${index}@example.org`);
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < count) {
          const index = next++;
          const input: RegisterForEventInput = {
            eventSlug: slug,
            name: `Person ${index}`,
            email: emails[index]!,
            // Every other one online in session 1: its join link is due at once.
            attendanceMode: index % 2 ? 'IN_PERSON' : 'REMOTE',
            sessionIds: [index % 2 ? session2 : session1],
            consent: true,
          };
          const data = await graphql(servers[index % servers.length]!, print(RegisterForEventDocument), { input });
          expect(data.registerForEvent.__typename).toBe('RegisterForEventPayload');
        }
      }),
    );
    return emails;
  }

  const ofKind = (subject: string) => (mail: ParsedMail) => mail.subject!.startsWith(subject);
  /** Arrivals at each address of mail whose subject starts with `subject`. */
  const arrivals = (emails: string[], subject: string) => emails.map((email) => inbox.to(email).filter(ofKind(subject)).length);
  const everyOneArrived = (emails: string[], subject: string) => arrivals(emails, subject).every((count) => count >= 1);

  it('300 registrations spread over both: exactly 300 confirmations arrive, and 150 join links, none twice', async () => {
    const emails = await registerMany('many', 300, [a, b]);
    await vi.waitUntil(() => everyOneArrived(emails, 'Your registration'), { timeout: 180_000, interval: 500 });
    const remote = emails.filter((_, index) => index % 2 === 0);
    await vi.waitUntil(() => everyOneArrived(remote, 'Join link'), { timeout: 60_000, interval: 500 });
    // Time for a duplicate to show up, if one were on its way.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(arrivals(emails, 'Your registration')).toEqual(Array(300).fill(1));
    expect(arrivals(remote, 'Join link')).toEqual(Array(150).fill(1));
    expect(inbox.mail.filter(ofKind('Join link')).every((mail) => mail.text!.includes('https://zoom.example/j/111'))).toBe(true);
    // Both processes did the sending.
    const sent = await prisma.message.count({ where: { status: 'SENT', registration: { event: { slug } } } });
    expect(sent).toBe(450);
  }, 300_000);

  it('while the mail server refuses everything (421), messages wait and retry; once it accepts, every one arrives once', async () => {
    inbox.refuse(() => '421 4.3.2 service not available, closing channel');
    const emails = await registerMany('deferred', 40, [a, b]);
    const retried = () => prisma.message.count({ where: { kind: 'CONFIRMATION', attempts: { gte: 2 }, status: 'QUEUED', registration: { email: { in: emails } } } });
    await vi.waitUntil(async () => (await retried()) >= 10, { timeout: 60_000, interval: 500 });
    inbox.refuse(null);
    await vi.waitUntil(() => everyOneArrived(emails, 'Your registration'), { timeout: 120_000, interval: 500 });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(arrivals(emails, 'Your registration')).toEqual(Array(40).fill(1));
    const messages = await prisma.message.findMany({ where: { kind: 'CONFIRMATION', registration: { email: { in: emails } } } });
    expect(messages.map((message) => message.status)).toEqual(Array(40).fill('SENT'));
    const retriedMessages = messages.filter((message) => message.attempts > 1);
    expect(retriedMessages.length).toBeGreaterThanOrEqual(10);
    for (const message of retriedMessages) expect(message.lastError).toMatch(/421 4\.3\.2 service not available/);
  }, 300_000);

  it('a schedule change imported through one process: one notice to each registrant of the moved session, none twice', async () => {
    const session = file.event.sessions![1]!;
    const hour = 3_600_000;
    const earlier = (at: string) => new Date(Date.parse(at) - hour).toISOString();
    Object.assign(session, { startsAt: earlier(session.startsAt), endsAt: earlier(session.endsAt) });
    const imported = await graphql(a, print(ImportEventDocument), { input: { file } }, { authorization: `Bearer ${adminSecret}` });
    expect(imported.importEvent).toMatchObject({ __typename: 'ImportEventPayload', updated: 1 });
    const holders = (await prisma.registration.findMany({ where: { event: { slug }, sessions: { some: { session: { number: 2 }, status: { not: 'CANCELLED' } } } }, select: { email: true } })).map((row) => row.email);
    expect(holders.length).toBe(170);
    await vi.waitUntil(() => everyOneArrived(holders, 'Schedule change'), { timeout: 120_000, interval: 500 });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(arrivals(holders, 'Schedule change')).toEqual(Array(170).fill(1));
    expect(inbox.mail.filter(ofKind('Schedule change'))).toHaveLength(170);
  }, 300_000);

  it('one process killed (SIGKILL) in the middle of sending: every message arrives; duplicates are those the server accepted as it died', async () => {
    // Each reply waits: a sender killed meanwhile never learns that its message arrived.
    inbox.delayReplies(400);
    const emails = await registerMany('killed', 60, [a, b]);
    await vi.waitUntil(() => inbox.mail.filter((mail) => mail.to && emails.some((email) => sentTo(email)(mail))).length >= 15, { timeout: 60_000, interval: 100 });
    const killedAt = Date.now();
    await a.stop('SIGKILL');
    await vi.waitUntil(() => everyOneArrived(emails, 'Your registration'), { timeout: 120_000, interval: 500 });
    const remote = emails.filter((_, index) => index % 2 === 0);
    await vi.waitUntil(() => everyOneArrived(remote, 'Join link'), { timeout: 60_000, interval: 500 });
    // The messages the killed process had in hand are sent again once their time is up.
    const unsent = () => prisma.message.count({ where: { status: { not: 'SENT' }, registration: { email: { in: emails } } } });
    await vi.waitUntil(async () => (await unsent()) === 0, { timeout: 60_000, interval: 500 });
    const settledAfter = Math.round((Date.now() - killedAt) / 1000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    inbox.delayReplies(0);
    const counts = [...arrivals(emails, 'Your registration'), ...arrivals(remote, 'Join link')];
    const duplicates = counts.reduce((sum, count) => sum + count - 1, 0);
    console.info(`SIGKILL during sending: ${counts.length} messages, ${duplicates} delivered twice; every message SENT ${settledAfter} s after the kill`);
    expect(counts.every((count) => count >= 1)).toBe(true);
    // At most what the killed process had in hand (MAIL_CONCURRENCY).
    expect(duplicates).toBeLessThanOrEqual(4);
  }, 300_000);

  it('an address the mail server refuses (550): the message is FAILED with the reason, the registration stands', async () => {
    inbox.refuse((address) => (address.startsWith('refused-') ? '550 5.1.1 no such mailbox here' : null));
    const email = `refused-${randomUUID().slice(0, 8)}@example.org`;
    // An event of its own, whose registrations fit on one page.
    const own = `${slug}-refused`;
    await importEvent(futureEvent(own));
    const { event } = await graphql(b, print(SessionAvailabilityDocument), { slug: own });
    const sessionId = event.agenda[0].items[0].session.id;
    const data = await graphql(b, print(RegisterForEventDocument), {
      input: { eventSlug: own, name: 'Refused', email, attendanceMode: 'IN_PERSON', sessionIds: [sessionId], consent: true },
    });
    expect(data.registerForEvent.registration.sessions).toMatchObject([{ status: 'CONFIRMED' }]);
    const messagesOf = async () => {
      const { registrations } = await graphql(b, print(RegistrationMessagesDocument), { eventSlug: own, first: 10 }, { authorization: `Bearer ${adminSecret}` });
      return registrations.edges.find((edge: { node: { email: string } }) => edge.node.email === email)?.node.messages;
    };
    await vi.waitUntil(async () => (await messagesOf())?.[0]?.status === 'FAILED', { timeout: 30_000, interval: 500 });
    expect((await messagesOf())[0]).toMatchObject({ kind: 'CONFIRMATION', status: 'FAILED', attempts: 1, lastError: expect.stringMatching(/550.*no such mailbox here/) });
    expect(await prisma.registration.findFirstOrThrow({ where: { email }, include: { sessions: true } })).toMatchObject({ cancelledAt: null, sessions: [{ status: 'CONFIRMED' }] });
    inbox.refuse(null);
  }, 60_000);
});
