import { print } from 'graphql';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { RegisterForEventDocument, SessionAvailabilityDocument } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { apiClient, postGraphQL } from './support/api.js';
import { futureEvent } from './support/future-event.js';

const client = apiClient();

async function firstSessionOf(slug: string) {
  const { event } = await client.request(SessionAvailabilityDocument, { slug });
  return event!.agenda[0]!.items[0]!.session!.id;
}

const registration = (slug: string, sessionId: string, email: string) => ({
  query: print(RegisterForEventDocument),
  variables: { input: { eventSlug: slug, name: email, email, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true } },
});

describe('registration under concurrency', () => {
  it('200 simultaneous registrations for 50 seats: exactly 50 confirmed, 150 waitlisted, no error', async () => {
    await importEvent(futureEvent('rush', { remoteSeats: 50 }));
    const sessionId = await firstSessionOf('rush');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) => postGraphQL(registration('rush', sessionId, `person${index}@example.org`))),
    );
    expect(responses.filter((response) => response.status !== 200 || response.json.errors)).toEqual([]);
    const statuses = responses.map((response) => response.json.data.registerForEvent.registration.sessions[0].status);
    expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(50);
    expect(statuses.filter((status) => status === 'WAITLISTED')).toHaveLength(150);
    const stored = await prisma.sessionRegistration.groupBy({ by: ['status'], where: { session: { event: { slug: 'rush' } } }, _count: true });
    expect(Object.fromEntries(stored.map((row) => [row.status, row._count]))).toEqual({ CONFIRMED: 50, WAITLISTED: 150 });
    // Waitlist positions are 1..150 with no gaps or ties.
    const waiting = await prisma.sessionRegistration.findMany({ where: { session: { event: { slug: 'rush' } }, status: 'WAITLISTED' }, orderBy: [{ statusChangedAt: 'asc' }, { id: 'asc' }] });
    expect(new Set(waiting.map((row) => row.id)).size).toBe(150);

    if (process.env.DATABASE_URL) {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
      await admin.end();
      expect(rows[0].n).toBe(0);
    }
  });

  it('registrations while imports change the same sessions: every one answered, none deadlocked', async () => {
    const file = futureEvent('busy', { remoteSeats: 100 });
    await importEvent(file);
    const sessions = await prisma.session.findMany({ where: { event: { slug: 'busy' } }, orderBy: { number: 'asc' } });
    const sessionIds = sessions.map((session) => Buffer.from(`Session:${session.id}`).toString('base64'));
    const registrations = Array.from({ length: 40 }, (_, index) => {
      const body = registration('busy', sessionIds[0]!, `busy${index}@example.org`);
      return postGraphQL({ ...body, variables: { input: { ...body.variables.input, sessionIds } } });
    });
    // Each import renames every session, the last listed first: the opposite order to their ids.
    const imports = Array.from({ length: 5 }, (_, round) => {
      const renamed = structuredClone(file);
      renamed.event.sessions = renamed.event.sessions!.map((session) => ({ ...session, title: `${session.title} (${round})` })).reverse();
      return importEvent(renamed);
    });
    const [registered, imported] = await Promise.all([Promise.all(registrations), Promise.allSettled(imports)]);
    expect(registered.filter((response) => response.status !== 200 || response.json.errors)).toEqual([]);
    expect(imported.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(await prisma.sessionRegistration.count({ where: { session: { event: { slug: 'busy' } }, status: 'CONFIRMED' } })).toBe(80);
  });

  it('simultaneous registrations with one email end as one registration', async () => {
    await importEvent(futureEvent('duplicates', { remoteSeats: 5 }));
    const sessionId = await firstSessionOf('duplicates');
    const responses = await Promise.all(Array.from({ length: 20 }, () => postGraphQL(registration('duplicates', sessionId, 'twin@example.org'))));
    expect(responses.filter((response) => response.status !== 200 || response.json.errors)).toEqual([]);
    // One registers; the others find the address taken and get the same answer without a registration.
    expect(responses.filter((response) => response.json.data.registerForEvent.registration !== null)).toHaveLength(1);
    expect(responses.filter((response) => response.json.data.registerForEvent.manageToken !== null)).toHaveLength(1);
    expect(await prisma.registration.count({ where: { event: { slug: 'duplicates' } } })).toBe(1);
    expect(await prisma.sessionRegistration.count({ where: { session: { event: { slug: 'duplicates' } }, status: 'CONFIRMED' } })).toBe(1);
  });
});
