import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { beforeAll, describe, expect, it } from 'vitest';
import { yoga } from '../src/app.js';
import { EventAgendaDocument, RegisterForEventDocument, RequestManageLinkDocument } from '../src/client/operations.js';
import { abuseLimits } from '../src/http/limits.js';
import { mayMessage } from '../src/rules/rate-limits.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { schema } from '../src/resolvers/index.js';
import { generatedEvent } from './support/generated-event.js';

interface Sent {
  status: number;
  headers: Headers;
  json: any;
}

/** POSTs to `api` as if from `address` (the socket's, as node:http gives it to Yoga); none is in-process. */
async function post(body: unknown, { address, headers = {}, api = yoga }: { address?: string; headers?: Record<string, string>; api?: { fetch: typeof yoga.fetch } } = {}): Promise<Sent> {
  const response = await api.fetch(
    'http://api.test/graphql',
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    address ? { req: { socket: { remoteAddress: address } } } : {},
  );
  return { status: response.status, headers: response.headers, json: await response.json() };
}

const codeOf = (sent: Sent) => sent.json.errors?.[0]?.extensions?.code;

/** Session → panelist → session…: `levels` fields deep in all, the inner part spread from fragment `name` when given. */
function deepQuery(levels: number, fragment?: string): string {
  let inner = 'number';
  for (let depth = 5; depth + 4 <= levels; depth += 4) inner = `panelists { panelist { sessions { session { ${inner} } } } }`;
  const body = fragment ? `...${fragment}` : inner;
  const fragmentText = fragment ? `fragment ${fragment} on Session { ${inner} }` : '';
  return `{ event(slug: "ohchr-remedy-tech-2021") { sessions { edges { node { ${body} } } } } } ${fragmentText}`;
}

describe('query limits', () => {
  it('runs the full agenda query (EventAgenda)', async () => {
    const sent = await post({ query: print(EventAgendaDocument), variables: { slug: 'ohchr-remedy-tech-2021' } });
    expect(sent.json.errors).toBeUndefined();
    expect(sent.json.data.event.agenda.length).toBe(2);
  });

  it('refuses a query nested deeper than 10 fields', async () => {
    expect((await post({ query: deepQuery(9) })).json.errors).toBeUndefined();
    const sent = await post({ query: deepQuery(13) });
    expect(sent.json.errors).toEqual([{ message: 'Query too deep: depth 13, limit 10.', extensions: { code: 'QUERY_TOO_DEEP', limit: 10, found: 13 } }]);
    expect(sent.json.data).toBeUndefined();
  });

  it('counts a fragment or an operation named like introspection (`__schema`) like any other', async () => {
    const fragment = await post({ query: deepQuery(13, '__schema') });
    expect(codeOf(fragment)).toBe('QUERY_TOO_DEEP');
    const operation = await post({ query: `query __schema ${deepQuery(13)}` });
    expect(codeOf(operation)).toBe('QUERY_TOO_DEEP');
  });

  it('refuses more than 130 aliases, a page of pages, more than 5,000 tokens and 20 directives, each with its own code, the limit and what it found', async () => {
    const aliases = await post({ query: `{ ${Array.from({ length: 131 }, (_, index) => `a${index}: mechanismTypes { code }`).join(' ')} }` });
    expect(aliases.status).toBe(200);
    expect(aliases.json.errors).toEqual([{ message: 'Too many aliases: 131, limit 130.', extensions: { code: 'TOO_MANY_ALIASES', limit: 130, found: 131 } }]);
    const pages = await post({ query: '{ events(first: 100) { edges { node { sessions(first: 100) { edges { node { id } } } } } } }' });
    expect(pages.json.errors).toEqual([{ message: expect.stringMatching(/^Query too complex: cost \d+, limit 100000\.$/), extensions: { code: 'QUERY_TOO_COMPLEX', limit: 100_000, found: expect.any(Number) } }]);
    expect(pages.json.errors[0].extensions.found).toBeGreaterThan(100_000);
    const tokens = await post({ query: `{ ${'__typename '.repeat(5_000)}}` });
    expect(tokens.json.errors).toEqual([{ message: 'Too many tokens: more than 5000, limit 5000.', extensions: { code: 'TOO_MANY_TOKENS', limit: 5_000 } }]);
    const directives = await post({ query: `{ ${Array.from({ length: 21 }, (_, index) => `a${index}: __typename @include(if: true)`).join(' ')} }` });
    expect(directives.json.errors).toEqual([{ message: 'Too many directives: 21, limit 20.', extensions: { code: 'TOO_MANY_DIRECTIVES', limit: 20, found: 21 } }]);
  });

  it('reports every limit a query goes over at once, with a 400 for graphql-response+json clients', async () => {
    const deepAndAliased = `{ ${Array.from({ length: 131 }, (_, index) => `a${index}: mechanismTypes { code }`).join(' ')} ${deepQuery(13).slice(1)}`;
    const sent = await post({ query: deepAndAliased }, { headers: { accept: 'application/graphql-response+json' } });
    expect(sent.status).toBe(400);
    expect(sent.json.errors.map((error: { extensions: { code: string } }) => error.extensions.code).sort()).toEqual(['QUERY_TOO_DEEP', 'TOO_MANY_ALIASES']);
  });

  it('answers 413 to a body over 100 kB', async () => {
    const sent = await post({ query: '{ __typename }', variables: { padding: 'x'.repeat(100_000) } });
    expect(sent.status).toBe(413);
  });

  it('refuses a NUL character, which PostgreSQL can\'t store, as bad input naming the argument', async () => {
    const sent = await post({ query: '{ event(slug: "a\\u0000b") { title } }' });
    expect(sent.json.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^slug: /), extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(JSON.stringify(sent.json)).not.toMatch(/stack|prisma|invocation|select |public\./i);
  });
});

describe('CSRF prevention', () => {
  it('refuses a form or text/plain POST without the CSRF header, and lets JSON POSTs and GET reads through', async () => {
    const form = (headers: Record<string, string>) =>
      yoga.fetch('http://api.test/graphql', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'query=%7B__typename%7D' });
    expect((await form({})).status).toBe(403);
    expect((await form({ 'x-graphql-yoga-csrf': '1' })).status).toBe(200);
    expect((await post({ query: '{ __typename }' })).status).toBe(200);
    const read = await yoga.fetch(`http://api.test/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(await read.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('keeps live updates open to a browser EventSource (GET, no custom header)', async () => {
    const query = encodeURIComponent('subscription { agendaChanged(eventSlug: "ohchr-remedy-tech-2021") { revision } }');
    const controller = new AbortController();
    const stream = await yoga.fetch(`http://api.test/graphql?query=${query}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
  });
});

describe('introspection', () => {
  const introspect = { query: '{ __schema { queryType { name } } }' };

  it('is on outside production, unless GRAPHQL_INTROSPECTION=false', async () => {
    expect((await post(introspect)).json.data.__schema.queryType.name).toBe('Query');
  });

  it('is refused when switched off, with field suggestions hidden too', async () => {
    const closed = createYoga({ schema, plugins: abuseLimits({ introspection: false }), logging: false });
    const refused = await post(introspect, { api: closed });
    expect(refused.json.errors[0].message).toMatch(/introspection/i);
    expect((await post({ query: '{ __typename }' }, { api: closed })).json.data).toEqual({ __typename: 'Query' });
    const typo = await post({ query: '{ evnt(slug: "x") { title } }' }, { api: closed });
    expect(typo.json.errors[0].message).not.toMatch(/Did you mean/);
  });
});

describe('query timeout', () => {
  it('stops a query that runs too long with 503 QUERY_TIMEOUT', async () => {
    const slow = createSchema({
      typeDefs: 'type Query { slow: String }',
      resolvers: { Query: { slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 5_000)) } },
    });
    const api = createYoga({ schema: slow, plugins: abuseLimits({ queryTimeoutMs: 200 }), logging: false });
    const started = Date.now();
    const sent = await post({ query: '{ slow }' }, { api });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sent.status).toBe(503);
    expect(codeOf(sent)).toBe('QUERY_TIMEOUT');
  });
});

describe('registerForEvent rate limit', () => {
  const slug = `limits-${randomUUID().slice(0, 8)}`;
  let sessionId: string;

  beforeAll(async () => {
    await importEvent(generatedEvent({ slug, sessions: 2, panelists: 2 }));
    const sent = await post({ query: `{ event(slug: "${slug}") { sessions { edges { node { id } } } } }` });
    sessionId = sent.json.data.event.sessions.edges[0].node.id;
  });

  const register = (email: string, options: { address?: string; headers?: Record<string, string> }) =>
    post(
      {
        query: print(RegisterForEventDocument),
        variables: { input: { eventSlug: slug, name: 'Rate Limit', email, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true } },
      },
      options,
    );

  it('allows 20 registrations per address in 15 minutes, then answers 429 with Retry-After', async () => {
    const address = '203.0.113.7';
    for (let index = 0; index < 20; index += 1) {
      const sent = await register(`address${index}@example.org`, { address });
      expect(sent.json.data.registerForEvent.__typename).toBe('RegisterForEventPayload');
    }
    const refused = await register('address20@example.org', { address });
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // X-Forwarded-For is the client's own word unless TRUST_PROXY says a proxy of ours wrote it.
    expect((await register('address21@example.org', { address, headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(429);
    // Another address is counted on its own.
    expect((await register('other@example.org', { address: '203.0.113.8' })).status).toBe(200);
  });

  it('counts requestManageLink with registerForEvent, so one address can\'t ask for an event\'s manage links in bulk', async () => {
    const address = '203.0.113.9';
    const ask = (email: string) =>
      post({ query: print(RequestManageLinkDocument), variables: { input: { eventSlug: slug, email } } }, { address });
    for (let index = 0; index < 10; index += 1) expect((await register(`mixed${index}@example.org`, { address })).status).toBe(200);
    for (let index = 0; index < 10; index += 1) expect((await ask(`mixed${index}@example.org`)).status).toBe(200);
    const refused = await ask('mixed0@example.org');
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
  });

  it('lets no flood of manage-link requests from other addresses refuse a registrant their own', async () => {
    const ask = (email: string, address: string) => post({ query: print(RequestManageLinkDocument), variables: { input: { eventSlug: slug, email } } }, { address });
    // Five addresses asking for junk addresses up to each one's limit: 100 requests for the event.
    for (let client = 1; client <= 5; client += 1) {
      for (let index = 0; index < 20; index += 1) expect((await ask(`junk-${client}-${index}@example.org`, `198.51.100.${client}`)).status).toBe(200);
    }
    const own = await ask('real-registrant@example.org', '203.0.113.77');
    expect(own.status).toBe(200);
    expect(own.json.data.requestManageLink.__typename).toBe('RequestManageLinkPayload');
  });

  it('counts each aliased registerForEvent in one request', async () => {
    const input = { eventSlug: slug, name: 'Burst', email: 'burst@example.org', attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true };
    const fields = Array.from({ length: 21 }, (_, index) => `r${index}: registerForEvent(input: $input) { __typename }`).join(' ');
    const burst = await post({ query: `mutation ($input: RegisterForEventInput!) { ${fields} }`, variables: { input } }, { address: '2001:db8:100::1' });
    expect(burst.status).toBe(429);
  });

  it('holds back messages to one email past 5 in 15 minutes, whatever its spelling', async () => {
    const email = `Same.Person.${randomUUID().slice(0, 8)}@example.org`;
    const allowed = [];
    for (let index = 0; index < 6; index += 1) allowed.push(await mayMessage(index % 2 ? email.toUpperCase() : ` ${email}`));
    expect(allowed).toEqual([true, true, true, true, true, false]);
    expect(await mayMessage(`other.${email}`)).toBe(true);
  });
});
