import { afterAll, describe, expect, it } from 'vitest';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';

// The server runs as its own process on this test file's database (PGlite folder or PostgreSQL).
const env = { ADMIN_SECRET: 'durability-secret', NODE_ENV: 'production' };
const servers: ServerProcess[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop('SIGKILL'))));

async function graphql(server: ServerProcess, query: string, variables: unknown, admin = false) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(admin ? { authorization: `Bearer ${env.ADMIN_SECRET}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

describe('durability', () => {
  it('keeps every acknowledged registration when the server is killed (SIGKILL) in the middle of a burst', async () => {
    const first = await startServer(env);
    servers.push(first);
    const imported = await graphql(first, 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', { input: { file: futureEvent('durable', { remoteSeats: 40 }) } }, true);
    expect(imported.data.importEvent.__typename).toBe('ImportEventPayload');
    const agenda = await graphql(first, '{ event(slug: "durable") { agenda { items { session { id } } } } }', {});
    const sessionId = agenda.data.event.agenda[0].items[0].session.id;

    const acknowledged: string[] = [];
    let sent = 0;
    const registerOne = async (): Promise<void> => {
      const email = `burst${(sent += 1)}@example.org`;
      try {
        const answer = await graphql(first, 'mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { __typename } }', {
          input: { eventSlug: 'durable', name: email, email, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true },
        });
        if (answer.data?.registerForEvent.__typename === 'RegisterForEventPayload') acknowledged.push(email);
      } catch {
        return; // the connection died with the server: not acknowledged
      }
      if (first.child.exitCode === null && first.child.signalCode === null) return registerOne();
    };
    const burst = Promise.all(Array.from({ length: 16 }, registerOne));
    while (acknowledged.length < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.stop('SIGKILL');
    await burst;
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    const second = await startServer(env);
    servers.push(second);
    const emails = new Set<string>();
    let after: string | null = null;
    do {
      const page = await graphql(
        second,
        'query ($after: String) { registrations(eventSlug: "durable", first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { email sessions { status } } } } }',
        { after },
        true,
      );
      for (const edge of page.data.registrations.edges) emails.add(edge.node.email);
      after = page.data.registrations.pageInfo.hasNextPage ? page.data.registrations.pageInfo.endCursor : null;
    } while (after);
    expect(acknowledged.filter((email) => !emails.has(email))).toEqual([]);
    // Nothing half-written: every stored registration holds its session choice.
    const seats = await graphql(second, '{ event(slug: "durable") { agenda { items { session { availability { attendanceMode seatsLeft waitlistLength } } } } } }', {});
    const remote = seats.data.event.agenda[0].items[0].session.availability.find((entry: { attendanceMode: string }) => entry.attendanceMode === 'REMOTE');
    expect(40 - remote.seatsLeft + remote.waitlistLength).toBe(emails.size);
    console.log(`durability: ${acknowledged.length} acknowledged before SIGKILL, ${emails.size} stored after restart`);
  }, 180_000);

  it('keeps the audit log exactly as the admin writes it describes when the server is killed (SIGKILL) in a burst of them', async () => {
    // One process at a time on a PGlite folder: the servers of the test before stop first.
    for (const running of servers.splice(0)) await running.stop();
    const first = await startServer(env);
    servers.push(first);
    const imported = await graphql(first, 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { ... on ImportEventPayload { event { id } } } }', { input: { file: futureEvent('audited', {}) } }, true);
    const eventId = imported.data.importEvent.event.id;

    let acknowledged = 0;
    let sent = 0;
    const createOne = async (): Promise<void> => {
      const key = `burst-${(sent += 1)}`;
      try {
        const answer = await graphql(first, 'mutation ($input: CreatePanelistInput!) { createPanelist(input: $input) { __typename } }', { input: { eventId, key, name: key } }, true);
        if (answer.data?.createPanelist.__typename === 'PanelistPayload') acknowledged += 1;
      } catch {
        return; // the connection died with the server: not acknowledged
      }
      if (first.child.exitCode === null && first.child.signalCode === null) return createOne();
    };
    const burst = Promise.all(Array.from({ length: 8 }, createOne));
    while (acknowledged < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.stop('SIGKILL');
    await burst;

    const second = await startServer(env);
    servers.push(second);
    const stored = new Set<string>();
    let after: string | null = null;
    do {
      const page = await graphql(second, 'query ($after: String) { event(slug: "audited") { panelists(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id name } } } } }', { after });
      for (const edge of page.data.event.panelists.edges) if (edge.node.name.startsWith('burst-')) stored.add(edge.node.id);
      after = page.data.event.panelists.pageInfo.hasNextPage ? page.data.event.panelists.pageInfo.endCursor : null;
    } while (after);
    const audited = new Set<string>();
    after = null;
    do {
      const page = await graphql(second, 'query ($after: String) { auditLog(eventSlug: "audited", action: "panelist.create", first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { targetId } } } }', { after }, true);
      for (const edge of page.data.auditLog.edges) audited.add(edge.node.targetId);
      after = page.data.auditLog.pageInfo.hasNextPage ? page.data.auditLog.pageInfo.endCursor : null;
    } while (after);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged);
    // One entry for each panelist the database kept, and none for one it lost.
    expect([...audited].sort()).toEqual([...stored].sort());
    console.log(`durability: ${acknowledged} panelists acknowledged before SIGKILL, ${stored.size} stored and ${audited.size} audited after restart`);
  }, 180_000);
});
