import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';

// Servers in production, as their own processes on this test file's database (PGlite folder or
// PostgreSQL), restarted with a new KEY_SECRET.
const adminSecret = 'registrant-keys-admin';
const mailDir = await mkdtemp(join(tmpdir(), 'registrant-keys-mail-'));
const env = { NODE_ENV: 'production', ADMIN_SECRET: adminSecret, MAIL_DIR: mailDir, MANAGE_URL: 'https://register.example/manage?key={token}' };
const servers: ServerProcess[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop('SIGKILL'))));

async function start(keySecret: string): Promise<ServerProcess> {
  const server = await startServer({ ...env, KEY_SECRET: keySecret });
  servers.push(server);
  return server;
}

async function graphql(server: ServerProcess, query: string, variables: unknown = {}, admin = false) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(admin ? { authorization: `Bearer ${adminSecret}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** The registration a manage token or key opens, by name; null when it opens none. */
async function opened(server: ServerProcess, manageToken: string): Promise<string | null> {
  const answer = await graphql(server, 'query ($manageToken: String!) { registration(manageToken: $manageToken) { name } }', { manageToken });
  return answer.data?.registration?.name ?? null;
}

const feedStatus = async (server: ServerProcess, key: string) => (await fetch(`${server.url}/registrations/${key}.ics`)).status;

/** The key in the manage link of the first mail in MAIL_DIR, once the worker has written it. */
async function mailedManageKey(): Promise<string> {
  for (;;) {
    const [file] = (await readdir(mailDir)).filter((name) => name.endsWith('.eml'));
    if (file) {
      const mail = await simpleParser(await readFile(join(mailDir, file)));
      return decodeURIComponent(/https:\/\/register\.example\/manage\?key=(\S+)/.exec(mail.text!)![1]!);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('keys derived from a registration (KEY_SECRET)', () => {
  it('are refused once the secret changes, and the stored token hash alone makes none', async () => {
    const first = await start('the-first-key-secret-of-at-least-32-chars');
    expect((await graphql(first, 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', { input: { file: futureEvent('keys') } }, true)).data.importEvent.__typename).toBe('ImportEventPayload');
    const agenda = await graphql(first, '{ event(slug: "keys") { agenda { items { session { id } } } } }');
    const registered = await graphql(first, 'mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { ... on RegisterForEventPayload { manageToken } } }', {
      input: { eventSlug: 'keys', name: 'Kim', email: 'kim@example.org', attendanceMode: 'REMOTE', sessionIds: [agenda.data.event.agenda[0].items[0].session.id], consent: true },
    });
    const manageToken: string = registered.data.registerForEvent.manageToken;
    const calendar = await graphql(first, 'query ($manageToken: String!) { registration(manageToken: $manageToken) { calendar { icsUrl } } }', { manageToken });
    const feedKey = /\/registrations\/(.+)\.ics$/.exec(calendar.data.registration.calendar.icsUrl)![1]!;
    const manageKey = await mailedManageKey();
    expect(await feedStatus(first, feedKey)).toBe(200);
    expect(await opened(first, manageKey)).toBe('Kim');

    // What a copy of the database gives: the registration's id and the sha256 of its token. The
    // keys as they were derived from those alone open nothing.
    const registrationId = feedKey.split('.')[0]!;
    const storedHash = createHash('sha256').update(manageToken).digest('hex');
    const fromTable = (purpose: string) => `${registrationId}.${createHmac('sha256', storedHash).update(purpose).digest('base64url')}`;
    expect(await feedStatus(first, fromTable('calendar feed'))).toBe(404);
    expect(await opened(first, fromTable('manage link'))).toBeNull();
    await first.stop();

    const second = await start('the-second-key-secret-of-at-least-32-chars');
    expect(await feedStatus(second, feedKey)).toBe(404);
    expect(await opened(second, manageKey)).toBeNull();
    // The manage token itself still opens the registration, and gives the feed's new key.
    expect(await opened(second, manageToken)).toBe('Kim');
    const renewed = await graphql(second, 'query ($manageToken: String!) { registration(manageToken: $manageToken) { calendar { icsUrl } } }', { manageToken });
    const newFeedKey = /\/registrations\/(.+)\.ics$/.exec(renewed.data.registration.calendar.icsUrl)![1]!;
    expect(newFeedKey).not.toBe(feedKey);
    expect(await feedStatus(second, newFeedKey)).toBe(200);
  }, 90_000);
});
