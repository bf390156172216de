import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';

// Answers kept before Yoga live in the server process: tested through a real one, on this test
// file's database, with writes made over HTTP as admins and registrants make them.
describe('public GET reads answered before Yoga', () => {
  const adminSecret = 'public-answers-secret';
  const slug = 'public-answers';
  const file = futureEvent(slug, { remoteSeats: 3 });
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer({ ADMIN_SECRET: adminSecret, METRICS_TOKEN: 'public-answers-metrics' });
    expect((await importEvent()).data.importEvent.__typename).toBe('ImportEventPayload');
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const importEvent = () =>
    post({ query: 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', variables: { input: { file } } }, { authorization: `Bearer ${adminSecret}` });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then((response) => response.json());
  const agenda = `{ event(slug: "${slug}") { title agenda { items { title session { id availability { attendanceMode seatsLeft } } } } } }`;
  const read = (headers: Record<string, string> = {}) => fetch(`${server.url}/graphql?query=${encodeURIComponent(agenda)}`, { headers });
  const servedBeforeYoga = async () => {
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer public-answers-metrics' } })).text();
    return Number(/^graphql_public_answers_served_before_yoga_total (\d+)/m.exec(metrics)?.[1]);
  };
  const headersOf = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => !['x-request-id', 'date'].includes(name)));

  it('repeats Yoga’s answer, body and headers, and answers 304 to its ETag', async () => {
    const origin = { origin: 'https://partner.example' };
    const fromYoga = await read(origin);
    const body = await fromYoga.text();
    const before = await servedBeforeYoga();
    const kept = await read(origin);
    expect(await servedBeforeYoga()).toBe(before + 1);
    expect(await kept.text()).toBe(body);
    expect(headersOf(kept)).toEqual(headersOf(fromYoga));
    expect(kept.headers.get('access-control-allow-origin')).toBe('*');
    expect(kept.headers.get('x-request-id')).not.toBe(fromYoga.headers.get('x-request-id'));

    const notModified = await read({ ...origin, 'if-none-match': fromYoga.headers.get('etag')! });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(await servedBeforeYoga()).toBe(before + 2);
  });

  it('keeps answers apart by Accept, and never serves one to an admin', async () => {
    await read();
    await read({ accept: 'application/graphql-response+json' });
    const graphqlResponse = await read({ accept: 'application/graphql-response+json' });
    expect(graphqlResponse.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect((await read()).headers.get('content-type')).toBe('application/json; charset=utf-8');

    const before = await servedBeforeYoga();
    const admin = await read({ authorization: `Bearer ${adminSecret}` });
    expect(admin.headers.get('cache-control')).toBe('private, no-store');
    expect(await servedBeforeYoga()).toBe(before);
  });

  it('shows an admin write or a registration on the very next read', async () => {
    await read();
    const kept = await read();
    expect((await kept.json()).data.event.title).toBe(`Consultation ${slug}`);

    file.event.title = 'Renamed while kept';
    expect((await importEvent()).data.importEvent.__typename).toBe('ImportEventPayload');
    const renamed = await read({ 'if-none-match': kept.headers.get('etag')! });
    expect(renamed.status).toBe(200);
    const { data } = await renamed.json();
    expect(data.event.title).toBe('Renamed while kept');

    await read();
    const session = data.event.agenda[0].items[0].session;
    const registered = await post({
      query: 'mutation ($input: RegisterForEventInput!) { registerForEvent(input: $input) { __typename } }',
      variables: { input: { eventSlug: slug, name: 'Kept', email: 'kept@example.org', attendanceMode: 'REMOTE', sessionIds: [session.id], consent: true } },
    });
    expect(registered.data.registerForEvent.__typename).toBe('RegisterForEventPayload');
    const seats = (await (await read()).json()).data.event.agenda[0].items[0].session.availability;
    expect(seats.find((entry: { attendanceMode: string }) => entry.attendanceMode === 'REMOTE').seatsLeft).toBe(2);
  });

  it('keeps an answer per language Accept-Language negotiates, never one for another', async () => {
    // The test fixture: an invented event with French and Spanish test text.
    const multilingual = JSON.parse(await readFile('tests/fixtures/multilingual-event.json', 'utf8'));
    const imported = await post({ query: 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', variables: { input: { file: multilingual } } }, { authorization: `Bearer ${adminSecret}` });
    expect(imported.data.importEvent.__typename).toBe('ImportEventPayload');
    const textIn = async (field: string, acceptLanguage: string) => {
      const query = encodeURIComponent(`{ event(slug: "${multilingual.event.slug}") { ${field} } }`);
      const response = await fetch(`${server.url}/graphql?query=${query}`, { headers: { 'accept-language': acceptLanguage } });
      return [(await response.json()).data.event[field], response.headers.get('content-language')];
    };
    const before = await servedBeforeYoga();
    for (let round = 0; round < 3; round += 1) {
      expect(await textIn('title', 'fr')).toEqual(['Consultation de test en trois langues', 'fr']);
      expect(await textIn('title', 'es-MX,es;q=0.9')).toEqual(['Consulta de prueba en tres idiomas', 'es']);
      expect(await textIn('title', 'de')).toEqual(['Test consultation in three languages', 'en']);
      // No French text: the answer says it is in English.
      expect(await textIn('background', 'fr')).toEqual(['Written in English only.', 'en']);
    }
    // The last two rounds, all from the answers kept before Yoga.
    expect(await servedBeforeYoga()).toBe(before + 8);
  });
});
