import { describe, expect, it } from 'vitest';

process.env.ADMIN_SECRET = 'cache-test-secret';
process.env.CORS_ORIGINS = 'https://registration.partner.example';

const { yoga } = await import('../src/app.js');
const { prisma } = await import('../src/db/client.js');
const { importEvent } = await import('../src/resolvers/event-import.js');
const { futureEvent } = await import('./support/future-event.js');

const agendaQuery = (slug: string) => `{ event(slug: "${slug}") { title agenda { items { title session { number availability { attendanceMode seatsLeft } } } } } }`;
const get = (query: string, headers: Record<string, string> = {}) =>
  yoga.fetch(`http://api.test/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json', ...headers } });
const post = (body: unknown, headers: Record<string, string> = {}) =>
  yoga.fetch('http://api.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('HTTP caching of public reads', () => {
  it('answers GET with Cache-Control and an ETag, and 304 when the ETag still matches', async () => {
    const first = await get(agendaQuery('ohchr-remedy-tech-2021'));
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get(agendaQuery('ohchr-remedy-tech-2021'), { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('never caches what is personal or admin', async () => {
    const admin = await get(agendaQuery('ohchr-remedy-tech-2021'), { authorization: 'Bearer cache-test-secret' });
    expect(admin.headers.get('etag')).toBeNull();
    expect(admin.headers.get('cache-control')).toBe('private, no-store');
    const personal = await get('{ registration(manageToken: "reg_x") { email } }');
    expect(personal.headers.get('cache-control')).toBe('private, no-store');
    const posted = await post({ query: agendaQuery('ohchr-remedy-tech-2021') });
    expect(posted.headers.get('cache-control')).toBe('private, no-store');
  });

  it('drops a cached agenda item or break read alone by node(id:) when the schedule changes', async () => {
    const now = Date.now();
    await importEvent(futureEvent('cache-nodes', {}, now));
    const items = (await (await get('{ event(slug: "cache-nodes") { agenda { items { id break { id } } } } }')).json()).data.event.agenda.flatMap(
      (day: { items: { id: string; break: { id: string } | null }[] }) => day.items,
    );
    const ids = [items[0].id, items[1].id, items[1].break.id];
    const titles = async () => {
      const answer = await (await get(`{ ${ids.map((id, index) => `n${index}: node(id: "${id}") { ... on AgendaItem { title } ... on Break { title } }`).join(' ')} }`)).json();
      return Object.values(answer.data).map((node) => (node as { title: string }).title);
    };
    expect(await titles()).toEqual(['Soon', 'Break', 'Break']);
    const file = futureEvent('cache-nodes', {}, now);
    file.event.sessions![0]!.title = 'Sooner';
    file.event.breaks![0]!.title = 'Coffee';
    await importEvent(file);
    expect(await titles()).toEqual(['Sooner', 'Coffee', 'Coffee']);
  });

  it('drops cached answers when an admin write or a registration changes them', async () => {
    const file = futureEvent('cache-invalidation', { remoteSeats: 2 });
    await importEvent(file);
    const before = await (await get(agendaQuery('cache-invalidation'))).json();
    expect(before.data.event.title).toBe('Consultation cache-invalidation');
    const cachedEtag = (await get(agendaQuery('cache-invalidation'))).headers.get('etag');

    file.event.title = 'Renamed consultation';
    await importEvent(file);
    const renamed = await get(agendaQuery('cache-invalidation'), { 'if-none-match': cachedEtag! });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).data.event.title).toBe('Renamed consultation');

    const session = await prisma.session.findFirstOrThrow({ where: { number: 1, event: { slug: 'cache-invalidation' } } });
    await post({
      query: 'mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { __typename } }',
      variables: {
        input: { eventSlug: 'cache-invalidation', name: 'A', email: 'a@example.org', attendanceMode: 'REMOTE', sessionIds: [Buffer.from(`Session:${session.id}`).toString('base64')], consent: true },
      },
    });
    const seats = (await (await get(agendaQuery('cache-invalidation'))).json()).data.event.agenda[0].items[0].session.availability;
    expect(seats.find((entry: { attendanceMode: string }) => entry.attendanceMode === 'REMOTE').seatsLeft).toBe(1);
  });
});

describe('CORS', () => {
  it('lets any origin read over GET, without credentials', async () => {
    const response = await get('{ mechanismTypes { code } }', { origin: 'https://any.partner.example' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).not.toBe('true');
    const preflight = await yoga.fetch('http://api.test/graphql', { method: 'OPTIONS', headers: { origin: 'https://any.partner.example', 'access-control-request-method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lets only configured origins write, and refuses others before anything runs', async () => {
    const foreignPreflight = await yoga.fetch('http://api.test/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowedPreflight = await yoga.fetch('http://api.test/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://registration.partner.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe('https://registration.partner.example');

    const file = futureEvent('cors-writes');
    await importEvent(file);
    const session = await prisma.session.findFirstOrThrow({ where: { number: 1, event: { slug: 'cors-writes' } } });
    const registration = (email: string) => ({
      query: 'mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { __typename } }',
      variables: { input: { eventSlug: 'cors-writes', name: 'B', email, attendanceMode: 'REMOTE', sessionIds: [Buffer.from(`Session:${session.id}`).toString('base64')], consent: true } },
    });
    const foreign = await post(registration('foreign@example.org'), { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const allowed = await post(registration('allowed@example.org'), { origin: 'https://registration.partner.example' });
    expect((await allowed.json()).data.registerForEvent.__typename).toBe('RegisterForEventPayload');
    expect(await prisma.registration.findMany({ where: { event: { slug: 'cors-writes' } }, select: { email: true } })).toEqual([{ email: 'allowed@example.org' }]);
  });
});
