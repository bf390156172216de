import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureEvent } from './support/future-event.js';
import { startServer, type ServerProcess } from './support/server-process.js';

// Many API processes share one PostgreSQL and Redis; PGlite belongs to a single process, so this
// runs in the PostgreSQL pass of the suite (.ci/run runs both).
const sharedDatabase = process.env.DATABASE_URL;

// PostgreSQL only: PGlite is one process's in-process database, which two server processes can't share.
describe.runIf(sharedDatabase)('two API processes sharing PostgreSQL and Redis (PostgreSQL only: skipped on PGlite, which two processes can\'t share)', () => {
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', ADMIN_SECRET: 'multi-process-secret', DATABASE_URL: sharedDatabase!, METRICS_TOKEN: 'multi-process-metrics' };
  let a: ServerProcess;
  let b: ServerProcess;
  const slug = `multi-${randomUUID().slice(0, 8)}`;
  const file = futureEvent(slug);

  beforeAll(async () => {
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const importThrough = (server: ServerProcess, imported: object = file) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.ADMIN_SECRET}` },
      body: JSON.stringify({ query: 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', variables: { input: { file: imported } } }),
    }).then((response) => response.json());
  const titleFrom = async (server: ServerProcess) => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(`{ event(slug: "${slug}") { agenda { items { title } } } }`)}`);
    return { etag: response.headers.get('etag'), title: (await response.json()).data.event.agenda[0].items[0].title as string };
  };
  const frabTitleFrom = async (server: ServerProcess) => {
    const schedule = await (await fetch(`${server.url}/events/${slug}/schedule.json`)).json();
    return Object.values(schedule.schedule.conference.days[0].rooms as Record<string, { title: string }[]>)[0]![0]!.title;
  };

  it('a write through one process invalidates the cache and notifies the subscribers of the other', async () => {
    expect((await importThrough(a)).data.importEvent.__typename).toBe('ImportEventPayload');
    const cached = await titleFrom(b);
    expect(cached.title).toBe('Soon');
    expect((await titleFrom(b)).etag).toBe(cached.etag);
    expect(await frabTitleFrom(b)).toBe('Soon');

    const subscription = await fetch(
      `${b.url}/graphql?query=${encodeURIComponent(`subscription { agendaChanged(eventSlug: "${slug}") { eventSlug revision } }`)}`,
      { headers: { accept: 'text/event-stream' } },
    );
    expect(subscription.headers.get('content-type')).toContain('text/event-stream');
    const reader = subscription.body!.getReader();
    const nextEvent = (async () => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += new TextDecoder().decode(value);
        const data = /event: next\ndata: (.+)\n/.exec(text)?.[1];
        if (data) return JSON.parse(data);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500)); // the subscription reaches Redis

    file.event.sessions![0]!.title = 'Moved to the morning';
    expect((await importThrough(a)).data.importEvent.__typename).toBe('ImportEventPayload');
    // At once: neither b's response cache nor the answers b keeps before Yoga may lag.
    const fresh = await titleFrom(b);
    expect(fresh.title).toBe('Moved to the morning');
    expect(fresh.etag).not.toBe(cached.etag);
    expect(await frabTitleFrom(b)).toBe('Moved to the morning');

    expect(await nextEvent).toEqual({ data: { agendaChanged: { eventSlug: slug, revision: 1 } } });
    await reader.cancel();
  });

  it('keeps cached and kept answers in different languages apart, across processes, and drops each on a change', async () => {
    // The test fixture, under a slug of its own: an invented event with French and Spanish test text.
    const multilingual = JSON.parse(await readFile('tests/fixtures/multilingual-event.json', 'utf8'));
    multilingual.event.slug = `multi-languages-${randomUUID().slice(0, 8)}`;
    expect((await importThrough(a, multilingual)).data.importEvent.__typename).toBe('ImportEventPayload');
    const query = encodeURIComponent(`{ event(slug: "${multilingual.event.slug}") { title agenda { items { title titleLanguage } } } }`);
    const read = async (server: ServerProcess, acceptLanguage: string) => {
      const response = await fetch(`${server.url}/graphql?query=${query}`, { headers: { 'accept-language': acceptLanguage } });
      const { data } = await response.json();
      return { title: data.event.title as string, first: data.event.agenda[0].items[0].title as string, language: response.headers.get('content-language'), vary: response.headers.get('vary') };
    };
    const keptAnswers = async (server: ServerProcess) => {
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } })).text();
      return Number(/^graphql_public_answers_served_before_yoga_total (\d+)/m.exec(metrics)?.[1]);
    };
    const french = { title: 'Consultation de test en trois langues', first: 'Les tribunaux et la réparation', language: 'fr' };
    const spanish = { title: 'Consulta de prueba en tres idiomas', first: 'Los tribunales y la reparación', language: 'es' };
    const before = { a: await keptAnswers(a), b: await keptAnswers(b) };
    // Each process answers both languages, from Redis for what the other one cached, then from the answers it keeps.
    for (let round = 0; round < 3; round += 1) {
      expect(await read(a, 'fr-CH, fr;q=0.9')).toMatchObject({ ...french, vary: 'Accept, Accept-Encoding, Accept-Language' });
      expect(await read(b, 'es-MX,es;q=0.9')).toMatchObject(spanish);
      expect(await read(b, 'fr')).toMatchObject(french);
      expect(await read(a, 'es')).toMatchObject(spanish);
    }
    expect(await keptAnswers(a)).toBeGreaterThan(before.a);
    expect(await keptAnswers(b)).toBeGreaterThan(before.b);

    // A new French title through one process: the other answers it at once in French, and Spanish as it was.
    multilingual.event.sessions[0].translations.fr.title = 'Les tribunaux, et la réparation';
    expect((await importThrough(a, multilingual)).data.importEvent.__typename).toBe('ImportEventPayload');
    expect(await read(b, 'fr')).toMatchObject({ ...french, first: 'Les tribunaux, et la réparation' });
    expect(await read(b, 'es-MX,es;q=0.9')).toMatchObject(spanish);
  });
});
