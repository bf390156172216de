import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationsQueryVariables } from '../src/client/operations.js';

process.env.ADMIN_SECRET = 'test-admin-secret';

const { yoga } = await import('../src/app.js');
const { prisma } = await import('../src/db/client.js');
const { importEvent } = await import('../src/resolvers/event-import.js');
const ops = await import('../src/client/operations.js');
const { apiClient, postGraphQL } = await import('./support/api.js');
const { futureEvent } = await import('./support/future-event.js');

const asAdmin = apiClient({ authorization: 'Bearer test-admin-secret' });
const anonymous = apiClient();
const seedFile = 'seed/ohchr-remedy-tech-2021.json';

async function issue(scopes: ('WRITE_EVENTS' | 'READ_REGISTRATIONS' | 'MANAGE_TOKENS')[]) {
  const { createAdminToken } = await asAdmin.request(ops.CreateAdminTokenDocument, { input: { name: `test ${scopes.join('+')}`, scopes } });
  if (createAdminToken.__typename !== 'IssuedAdminToken') throw new Error(createAdminToken.message);
  return createAdminToken;
}

describe('admin tokens', () => {
  it('are issued with ADMIN_SECRET, stored hashed, and scoped', async () => {
    const issued = await issue(['READ_REGISTRATIONS']);
    expect(issued.token).toMatch(/^evt_/);
    const stored = await prisma.adminToken.findFirstOrThrow({ where: { name: 'test READ_REGISTRATIONS' } });
    expect(stored.tokenHash).not.toContain(issued.token);

    const reader = apiClient({ authorization: `Bearer ${issued.token}` });
    expect((await reader.request(ops.RegistrationsDocument, { eventSlug: 'ohchr-remedy-tech-2021' })).registrations.totalCount).toBe(0);
    const cannotWrite = await reader.request(ops.ImportEventDocument, { input: { file: JSON.parse(await readFile(seedFile, 'utf8')) } });
    expect(cannotWrite.importEvent).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const cannotIssue = await reader.request(ops.CreateAdminTokenDocument, { input: { name: 'x', scopes: ['MANAGE_TOKENS'] } });
    expect(cannotIssue.createAdminToken.__typename).toBe('ForbiddenError');
  });

  it('stop working once revoked', async () => {
    const issued = await issue(['READ_REGISTRATIONS']);
    const revoked = await asAdmin.request(ops.RevokeAdminTokenDocument, { id: issued.adminToken.id });
    expect(revoked.revokeAdminToken).toMatchObject({ __typename: 'AdminToken', revokedAt: expect.any(String) });
    const { json } = await postGraphQL({ query: '{ registrations(eventSlug: "ohchr-remedy-tech-2021") { totalCount } }' }, { authorization: `Bearer ${issued.token}` });
    expect(json.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('can be revoked only by a token holding all their scopes', async () => {
    const manager = await issue(['MANAGE_TOKENS']);
    const writer = await issue(['WRITE_EVENTS', 'MANAGE_TOKENS']);
    const asManager = apiClient({ authorization: `Bearer ${manager.token}` });
    const refused = await asManager.request(ops.RevokeAdminTokenDocument, { id: writer.adminToken.id });
    expect(refused.revokeAdminToken).toMatchObject({ __typename: 'ForbiddenError', message: expect.stringContaining('WRITE_EVENTS') });
    expect((await prisma.adminToken.findFirstOrThrow({ where: { name: 'test WRITE_EVENTS+MANAGE_TOKENS' } })).revokedAt).toBeNull();
    const peer = await issue(['MANAGE_TOKENS']);
    expect((await asManager.request(ops.RevokeAdminTokenDocument, { id: peer.adminToken.id })).revokeAdminToken.__typename).toBe('AdminToken');
  });

  it('refuse an anonymous caller everything admin, with typed errors', async () => {
    const { json } = await postGraphQL({ query: '{ registrations(eventSlug: "ohchr-remedy-tech-2021") { totalCount } }' });
    expect(json.data).toBeNull();
    expect(json.errors[0]).toMatchObject({ message: expect.stringContaining('admin token'), extensions: { code: 'FORBIDDEN' } });
    const token = await anonymous.request(ops.CreateAdminTokenDocument, { input: { name: 'x', scopes: ['MANAGE_TOKENS'] } });
    expect(token.createAdminToken.__typename).toBe('ForbiddenError');
    expect(await prisma.adminToken.count({ where: { name: 'x' } })).toBe(0);
  });
});

describe('importEvent over the API', () => {
  it('is all or nothing, idempotent, and publishes schedule changes as revisions', async () => {
    const file = JSON.parse(await readFile(seedFile, 'utf8'));
    const again = await asAdmin.request(ops.ImportEventDocument, { input: { file } });
    expect(again.importEvent).toMatchObject({ __typename: 'ImportEventPayload', created: 0, updated: 0, deleted: 0, event: { revision: 0 } });

    const bad = structuredClone(file);
    bad.event.title = 'Changed';
    bad.event.sessions[3].startsAt = 'tomorrow';
    const refused = await asAdmin.request(ops.ImportEventDocument, { input: { file: bad } });
    expect(refused.importEvent.__typename === 'ValidationError' && refused.importEvent.fields.map((field) => field.path)).toEqual(['event.sessions[3].startsAt']);
    expect((await prisma.event.findUniqueOrThrow({ where: { slug: file.event.slug } })).title).not.toBe('Changed');

    const moved = structuredClone(file);
    moved.event.sessions[2].startsAt = '2021-09-24T10:30:00+02:00';
    const published = await asAdmin.request(ops.ImportEventDocument, { input: { file: moved } });
    expect(published.importEvent).toMatchObject({ updated: 1, event: { revision: 1 } });
    const { json } = await postGraphQL({ query: '{ event(slug: "ohchr-remedy-tech-2021") { revision changes(first: 5) { edges { node { revision kind sessionNumber fields } } } } }' });
    expect(json.data.event).toEqual({ revision: 1, changes: { edges: [{ node: { revision: 1, kind: 'CHANGED', sessionNumber: 3, fields: ['startsAt'] } }] } });
    expect((await prisma.session.findFirstOrThrow({ where: { number: 3, event: { slug: file.event.slug } } })).sequence).toBe(1);
  });
});

describe('registrations for admins', () => {
  it('are listed with filters and exported as CSV, only with READ_REGISTRATIONS', async () => {
    await importEvent(futureEvent('admin-list', { remoteSeats: 1 }));
    const { event } = await anonymous.request(ops.SessionAvailabilityDocument, { slug: 'admin-list' });
    const [first, , second] = event!.agenda.flatMap((day) => day.items).map((item) => item.session?.id);
    for (const [email, mode, sessionIds] of [
      ['a@example.org', 'REMOTE', [first!]],
      ['b@example.org', 'REMOTE', [first!, second!]],
      ['c@example.org', 'IN_PERSON', [second!]],
    ] as const) {
      await anonymous.request(ops.RegisterForEventDocument, {
        input: { eventSlug: 'admin-list', name: email, email, attendanceMode: mode, sessionIds: [...sessionIds], consent: true },
      });
    }
    const list = (variables: Omit<RegistrationsQueryVariables, 'eventSlug'>) =>
      asAdmin.request(ops.RegistrationsDocument, { eventSlug: 'admin-list', ...variables });
    expect((await list({})).registrations.totalCount).toBe(3);
    expect((await list({ status: 'WAITLISTED' })).registrations.edges.map((edge) => edge.node.email)).toEqual(['b@example.org']);
    expect((await list({ attendanceMode: 'IN_PERSON' })).registrations.edges.map((edge) => edge.node.email)).toEqual(['c@example.org']);
    expect((await list({ sessionId: second })).registrations.totalCount).toBe(2);
    const { json } = await postGraphQL(
      { query: 'query ($id: ID) { registrations(eventSlug: "admin-list", sessionId: $id) { totalCount } }', variables: { id: Buffer.from('Panelist:1').toString('base64') } },
      { authorization: 'Bearer test-admin-secret' },
    );
    expect(json.errors[0]).toMatchObject({ message: expect.stringContaining('is not of type: Session'), extensions: { code: 'BAD_USER_INPUT' } });
    const page = await list({ first: 2 });
    expect(page.registrations.pageInfo.hasNextPage).toBe(true);

    const csvUrl = 'http://api.test/admin/events/admin-list/registrations.csv';
    expect((await yoga.fetch(csvUrl)).status).toBe(401);
    const csv = await (await yoga.fetch(csvUrl, { headers: { authorization: 'Bearer test-admin-secret' } })).text();
    const lines = csv.trim().split('\n');
    // Every cell quoted (see registrations-csv.ts: formulas are neutralised, the rest kept as text).
    expect(lines[0]).toBe('"registrationId","name","email","organization","stakeholderGroup","attendanceMode","interpretationLanguage","registeredAt","cancelledAt","sessionNumber","sessionTitle","status","approval"');
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => line.includes('b@example.org')).map((line) => line.split(',').slice(-2).join(','))).toEqual(['"WAITLISTED","NOT_REQUIRED"', '"CONFIRMED","NOT_REQUIRED"']);
    const listed = await list({});
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]!.replaceAll('"', '')))).toEqual(new Set(listed.registrations.edges.map((edge) => edge.node.id)));
    expect((await yoga.fetch(`${csvUrl}?status=NOPE`, { headers: { authorization: 'Bearer test-admin-secret' } })).status).toBe(400);
    expect((await yoga.fetch(`${csvUrl}?approval=NOPE`, { headers: { authorization: 'Bearer test-admin-secret' } })).status).toBe(400);
    const pending = await (await yoga.fetch(`${csvUrl}?approval=PENDING`, { headers: { authorization: 'Bearer test-admin-secret' } })).text();
    expect(pending.trim().split('\n')).toHaveLength(1);
  });
});

describe('npm run seed --url', () => {
  let server: ReturnType<typeof createServer>;
  let url: string;
  beforeAll(async () => {
    server = createServer(yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const seed = (...args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'seed/run.ts', ...args], { env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: 'memory://' } }).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }),
    );

  it('pushes a seed file to a running API with a token, idempotently', async () => {
    const { token } = await issue(['WRITE_EVENTS']);
    const file = futureEvent('pushed-over-http');
    const path = join(tmpdir(), `seed-${process.pid}.json`);
    await writeFile(path, JSON.stringify(file));
    expect(await seed('--url', url, '--token', token, path)).toMatchObject({ code: 0, out: expect.stringMatching(/: \d+ created, 0 updated, 0 deleted/) });
    expect(await seed('--url', url, '--token', token, path)).toMatchObject({ code: 0, out: expect.stringContaining(': 0 created, 0 updated, 0 deleted') });
    expect(await prisma.event.count({ where: { slug: 'pushed-over-http' } })).toBe(1);
    expect(await seed('--url', url, '--token', 'evt_wrong', path)).toMatchObject({ code: 1, out: expect.stringContaining('FORBIDDEN') });
  });
});
