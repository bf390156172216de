import { randomUUID } from 'node:crypto';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RegisterForEventDocument, SessionAvailabilityDocument } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { mailJobs, queueMessages } from '../src/mail/outbox.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';
import { startInbox, type Inbox } from './support/smtp.js';

// Two API processes send the mail of one PostgreSQL database: the PostgreSQL pass of the suite.
const sharedDatabase = process.env.DATABASE_URL;

// PostgreSQL only: PGlite is one process's in-process database, which two server processes can't share.
describe.runIf(sharedDatabase)('a join link released behind a backlog of mail (PostgreSQL only: skipped on PGlite, which two processes can\'t share)', () => {
  const slug = `backlog-${randomUUID().slice(0, 8)}`;
  const metricsToken = 'backlog-metrics';
  let inbox: Inbox;
  let servers: ServerProcess[];

  beforeAll(async () => {
    inbox = await startInbox();
    const env = { DATABASE_URL: sharedDatabase!, SMTP_URL: inbox.url, MAIL_POLL_SECONDS: '0.5', MAIL_CONCURRENCY: '4', METRICS_TOKEN: metricsToken };
    servers = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers?.map((server) => server.stop()) ?? []);
    await inbox?.close();
  });

  it('arrives within 10 s of its release, once to each remote participant, while 500 confirmations queued before it wait', async () => {
    // Session 1's link is released 25 s from now (its start less the 24-hour lead time).
    const releaseAt = Date.now() + 25_000;
    await importEvent(futureEvent(slug, {}, releaseAt + 23 * 3_600_000));
    const { event } = await graphql(print(SessionAvailabilityDocument), { slug });
    const ids = Object.fromEntries(event.agenda.flatMap((day: any) => day.items.flatMap((item: any) => (item.session ? [[item.session.number, item.session.id]] : []))));
    const remote = Array.from({ length: 20 }, (_, index) => `remote-${index}-${slug}@example.org`);
    for (const email of remote) {
      const data = await graphql(print(RegisterForEventDocument), { input: { eventSlug: slug, name: 'Remote', email, attendanceMode: 'REMOTE', sessionIds: [ids[1]], consent: true } });
      expect(data.registerForEvent.__typename).toBe('RegisterForEventPayload');
    }
    await vi.waitUntil(() => remote.every((email) => inbox.to(email).length === 1), { timeout: 30_000, interval: 200 });

    // Each reply takes 300 ms: the two processes, four messages at a time each, need some 20 s for
    // 500, so the backlog stands when the link is released.
    inbox.delayReplies(300);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, releaseAt - 4_000 - Date.now())));
    const backlog = await queueConfirmations(500, ids[2]);
    expect(Date.now()).toBeLessThan(releaseAt);

    const joinLinks = () => inbox.mail.filter((mail) => mail.subject!.startsWith('Join link'));
    await vi.waitUntil(() => remote.every((email) => inbox.to(email).some((mail) => mail.subject!.startsWith('Join link'))), { timeout: 60_000, interval: 100 });
    const lastLinkAt = Math.max(...joinLinks().map((mail) => inbox.receivedAt(mail).getTime()));
    const confirmedBefore = backlog.filter((email) => inbox.to(email).some((mail) => inbox.receivedAt(mail).getTime() <= lastLinkAt)).length;
    console.info(`join links: last arrived ${((lastLinkAt - releaseAt) / 1000).toFixed(1)} s after the release, with ${confirmedBefore} of 500 earlier confirmations sent`);
    expect(lastLinkAt - releaseAt).toBeLessThan(10_000);
    expect(confirmedBefore).toBeLessThan(500);

    await vi.waitUntil(() => backlog.every((email) => inbox.to(email).length >= 1), { timeout: 180_000, interval: 500 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    inbox.delayReplies(0);
    expect(remote.map((email) => inbox.to(email).filter((mail) => mail.subject!.startsWith('Join link')).length)).toEqual(Array(20).fill(1));
    expect(joinLinks()).toHaveLength(20);
    expect(backlog.map((email) => inbox.to(email).length)).toEqual(Array(500).fill(1));

    // Each process shows how late what it sent was, by kind.
    const metrics = await Promise.all(servers.map(async (server) => (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text()));
    for (const text of metrics) expect(text).toMatch(/^mail_sending_lag_seconds_count\{kind="CONFIRMATION"\} \d+$/m);
    const joinLinkCounts = metrics.map((text) => Number(/^mail_sending_lag_seconds_count\{kind="JOIN_LINK"\} (\d+)$/m.exec(text)?.[1] ?? 0));
    expect(joinLinkCounts.reduce((sum, sent) => sum + sent, 0)).toBe(20);
  }, 300_000);

  /** `count` registrations for `sessionId`, made in the database, and their confirmations queued at once. */
  async function queueConfirmations(count: number, sessionId: string): Promise<string[]> {
    const eventId = (await prisma.event.findUniqueOrThrow({ where: { slug } })).id;
    const rows = Array.from({ length: count }, (_, index) => ({
      id: randomUUID(),
      eventId,
      email: `queued-${index}-${slug}@example.org`,
      name: 'Queued',
      attendanceMode: 'IN_PERSON' as const,
      manageTokenHash: randomUUID(),
    }));
    const boss = await mailJobs();
    await prisma.$transaction(async (tx) => {
      await tx.registration.createMany({ data: rows });
      const session = decodeGlobalID(sessionId).id;
      await tx.sessionRegistration.createMany({ data: rows.map((row) => ({ registrationId: row.id, sessionId: session, attendanceMode: 'IN_PERSON' as const, status: 'CONFIRMED' as const })) });
      await queueMessages(tx, boss, rows.map((row) => ({ registrationId: row.id, kind: 'CONFIRMATION' as const })));
    });
    return rows.map((row) => row.email);
  }

  async function graphql(query: string, variables: Record<string, unknown>) {
    const response = await fetch(`${servers[0]!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const json = await response.json();
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  }
});
