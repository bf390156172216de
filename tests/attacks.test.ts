import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportEventDocument, RegisterForEventDocument } from '../src/client/operations.js';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';

/**
 * Attacks an outsider could make, each against a running production server (as its own process,
 * on this file's database), reproduced as they were found and answered as they must be now.
 */
const adminSecret = `attack-admin-${randomUUID()}`;
let server: ServerProcess;
/** The server reached through this machine's network address: a client that is not loopback. */
let remoteUrl: string;

beforeAll(async () => {
  server = await startServer({ NODE_ENV: 'production', ADMIN_SECRET: adminSecret, TRUST_PROXY: '1', REGISTRATIONS_PER_ADDRESS: '5' });
  remoteUrl = server.url.replace('127.0.0.1', process.env.ATTACK_REMOTE_HOST ?? '192.0.2.2');
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function graphql(body: { query: string; variables?: unknown }, { base = server.url, headers = {} }: { base?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as any };
}

const asAdmin = { authorization: `Bearer ${adminSecret}` };

/** A future event with limited seats, imported over the API; its session ids. */
async function importFutureEvent(slug: string, seats: { roomSeats?: number; remoteSeats?: number } = {}): Promise<string[]> {
  const imported = await graphql({ query: print(ImportEventDocument), variables: { input: { file: futureEvent(slug, seats) } } }, { headers: asAdmin });
  expect(imported.json.data.importEvent.__typename).toBe('ImportEventPayload');
  const read = await graphql({ query: `{ event(slug: "${slug}") { sessions { edges { node { id } } } } }` });
  return read.json.data.event.sessions.edges.map((edge: { node: { id: string } }) => edge.node.id);
}

describe('per-email and per-address registration limits (item 11)', () => {
  let slug: string;
  let sessionId: string;
  beforeAll(async () => {
    slug = `limits-${randomUUID().slice(0, 8)}`;
    sessionId = (await importFutureEvent(slug))[0]!;
  });
  const register = (email: string, options: { base?: string; headers?: Record<string, string> } = {}) =>
    graphql({ query: print(RegisterForEventDocument), variables: { input: { eventSlug: slug, name: 'Limit', email, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true } } }, options);

  it('calls made with someone else\'s email from elsewhere never lock its owner out', async () => {
    const victim = `victim-${randomUUID().slice(0, 8)}@example.org`;
    for (let index = 0; index < 6; index += 1) {
      // Each from its own address (as our proxy reports it), so no address limit applies.
      await register(victim, { base: remoteUrl, headers: { 'x-forwarded-for': `198.51.100.${index + 1}` } });
    }
    const owner = await register(victim);
    expect(owner.status).toBe(200);
    expect(owner.json.data.registerForEvent.__typename).toBe('RegistrationPayload');
  });

  it('X-Forwarded-For: 127.0.0.1 from a direct client does not take it into the loopback exemption', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      statuses.push((await register(`xff-${index}-${randomUUID().slice(0, 8)}@example.org`, { base: remoteUrl, headers: { 'x-forwarded-for': '127.0.0.1' } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
