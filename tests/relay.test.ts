import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Environment, Network, RecordSource, Store, createOperationDescriptor, fetchQuery, getSelector, type GraphQLTaggedNode } from 'relay-runtime';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { yoga } from '../src/app.js';
import { EventAgendaDocument } from '../src/client/operations.js';
import { importEvent } from '../src/resolvers/event-import.js';

const slug = 'ohchr-remedy-tech-2021';
const relayProject = new URL('relay/', import.meta.url);
/** An invented event with French test text (see tests/languages.test.ts). */
const multilingual = JSON.parse(await readFile('tests/fixtures/multilingual-event.json', 'utf8'));
beforeAll(() => importEvent(multilingual));

/** Relay and Apollo report what they find wrong (conflicting types, lost fields) through the console. */
let warnings: MockInstance[] = [];
beforeEach(() => {
  warnings = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
});
afterEach(() => vi.restoreAllMocks());
const warned = () => [...warnings.flatMap((spy) => spy.mock.calls.map((call) => call.join(' '))), ...logged];

async function compileRelayProject() {
  const artifacts = new URL('__generated__/', relayProject);
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts);
  // The config's paths are relative to the folder it runs in.
  await promisify(execFile)(new URL('../node_modules/.bin/relay-compiler', import.meta.url).pathname, ['--output', 'quiet-with-errors', 'relay.config.json'], { cwd: relayProject });
  const load = async (name: string) => ((await import(new URL(`${name}.graphql.ts`, artifacts).href)) as { default: GraphQLTaggedNode }).default;
  return {
    agenda: await load('agendaQuery'),
    item: await load('agendaItem_item'),
    itemRefetch: await load('agendaItemRefetchQuery'),
    sessions: await load('agendaSessions_event'),
    sessionsPage: await load('agendaSessionsPaginationQuery'),
    session: await load('agendaSessionQuery'),
    mixedLanguages: await load('languagesMixedQuery'),
  };
}

/** What relay-runtime reports through its field logger (missing data, field errors), with the console's warnings. */
let logged: string[] = [];
beforeEach(() => {
  logged = [];
});

function relayEnvironment() {
  const network = Network.create(async (operation, variables) => {
    const response = await yoga.fetch('http://api.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: operation.text, variables }),
    });
    return response.json();
  });
  return new Environment({ network, store: new Store(new RecordSource()), relayFieldLogger: (event) => logged.push(JSON.stringify(event)) });
}

describe('Relay', () => {
  it('compiles the agenda, a @refetchable @connection and node refetches against schema.graphql, and normalises the answers with no warning', async () => {
    const operations = await compileRelayProject();
    const environment = relayEnvironment();
    const data: any = await fetchQuery(environment, operations.agenda, { slug }).toPromise();

    // Each record keeps the type it was given: sessions are Sessions, agenda items AgendaItems.
    const source = environment.getStore().getSource();
    const items: any[] = data.event.agenda.flatMap((day: any) => day.items);
    expect(items).toHaveLength(6);
    for (const item of items) {
      const shown = item.session ?? item.break;
      expect(source.get(shown.id)?.__typename).toBe(item.session ? 'Session' : 'Break');
      const own = environment.lookup(getSelector(operations.item as any, item) as any).data as any;
      expect(own.id).not.toBe(shown.id);
      expect(source.get(own.id)?.__typename).toBe('AgendaItem');
    }
    expect(environment.lookup(createOperationDescriptor(operations.agenda as any, { slug }).fragment).isMissingData).toBe(false);

    // The sessions connection, refetched through node(id:) on the event, two at a time.
    const page: any = await fetchQuery(environment, operations.sessionsPage, { id: data.event.id, first: 2 }).toPromise();
    const sessions = environment.lookup(getSelector(operations.sessions as any, page.node) as any).data as any;
    expect(sessions.sessions.totalCount).toBe(4);
    expect(sessions.sessions.edges.map((edge: any) => edge.node.number)).toEqual([1, 2]);

    // An agenda item and a session, each refetched by its own ID.
    const first = items[0];
    const refetched: any = await fetchQuery(environment, operations.itemRefetch, { id: environment.lookup(getSelector(operations.item as any, first) as any).data!.id }).toPromise();
    expect((environment.lookup(getSelector(operations.item as any, refetched.node) as any).data as any).title).toBe(first.session.title);
    const session: any = await fetchQuery(environment, operations.session, { id: first.session.id }).toPromise();
    expect(session.node).toMatchObject({ id: first.session.id, number: 1, title: first.session.title });

    expect(warned()).toEqual([]);
  });
});

describe('Relay, with text in two languages', () => {
  it('normalises one answer reading the same records in the default language and in French, with no conflicting field, and keeps both', async () => {
    const { mixedLanguages } = await compileRelayProject();
    const environment = relayEnvironment();
    const variables = { slug: multilingual.event.slug };
    const data: any = await fetchQuery(environment, mixedLanguages, variables).toPromise();

    const judicial = data.mechanismTypes.find((type: { code: string }) => type.code === 'JUDICIAL');
    expect([judicial.name, judicial.nameLanguage]).toEqual(['Judicial mechanisms', 'en']);
    const first = data.event.agenda[0].items[0].session;
    expect(first.mechanismType).toEqual({ id: judicial.id, name: 'Mécanismes judiciaires (données de test)', nameLanguage: 'fr' });
    expect(first.title).toBe('Courts and remedy');
    expect(data.event.sessions.edges[0].node).toEqual({ id: first.id, title: 'Les tribunaux et la réparation', titleLanguage: 'fr' });
    expect([data.event.title, data.event.frenchTitle, data.event.frenchTitleLanguage]).toEqual(['Test consultation in three languages', 'Consultation de test en trois langues', 'fr']);

    // One record each, holding both languages under their own storage keys.
    const source = environment.getStore().getSource();
    expect(source.get(judicial.id)).toMatchObject({ name: 'Judicial mechanisms', 'name(lang:"fr")': 'Mécanismes judiciaires (données de test)' });
    expect(source.get(first.id)).toMatchObject({ title: 'Courts and remedy', 'title(lang:"fr")': 'Les tribunaux et la réparation' });
    const read = environment.lookup(createOperationDescriptor(mixedLanguages as any, variables).fragment);
    expect(read.isMissingData).toBe(false);
    expect(read.data).toEqual(data);

    expect(warned()).toEqual([]);
  });
});

describe('Apollo Client', () => {
  it('normalises the whole agenda in InMemoryCache and reads it back, with no warning', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: 'http://api.test/graphql', fetch: yoga.fetch as typeof fetch }), cache: new InMemoryCache() });
    const { data } = await client.query({ query: EventAgendaDocument, variables: { slug } });
    const cache = client.cache.extract() as Record<string, { __typename?: string }>;
    const items = data!.event!.agenda.flatMap((day) => day.items);
    expect(new Set(items.map((item) => cache[`AgendaItem:${item.id}`]?.__typename))).toEqual(new Set(['AgendaItem']));
    for (const item of items) if (item.session) expect(cache[`Session:${item.session.id}`]?.__typename).toBe('Session');
    expect(client.readQuery({ query: EventAgendaDocument, variables: { slug } })).toEqual(data);
    expect(warned()).toEqual([]);
  });
});

describe('Apollo Client, with text in two languages', () => {
  it('answers the English query after the French one with English, not French from InMemoryCache, and keeps the French', async () => {
    let requests = 0;
    const fetchThrough: typeof fetch = (input, init) => {
      requests += 1;
      return (yoga.fetch as typeof fetch)(input, init);
    };
    const client = new ApolloClient({ link: new HttpLink({ uri: 'http://api.test/graphql', fetch: fetchThrough }), cache: new InMemoryCache() });
    const french = { slug: multilingual.event.slug, lang: 'fr' };
    const english = { slug: multilingual.event.slug };
    const sessionTitles = (event: any) => event.sessions.edges.map((edge: any) => edge.node.title);
    const judicialName = (data: any) => data.mechanismTypes.find((type: { code: string }) => type.code === 'JUDICIAL').name;

    const inFrench = (await client.query({ query: EventAgendaDocument, variables: french })).data!;
    expect(inFrench.event!.title).toBe('Consultation de test en trois langues');
    expect(sessionTitles(inFrench.event)).toEqual(['Les tribunaux et la réparation', 'Les plaintes hors des tribunaux', 'What affected people need']);
    expect(judicialName(inFrench)).toBe('Mécanismes judiciaires (données de test)');

    // The same records, cache first: the English fields are not in the cache, so they are fetched.
    const inEnglish = (await client.query({ query: EventAgendaDocument, variables: english, fetchPolicy: 'cache-first' })).data!;
    expect(requests).toBe(2);
    expect(inEnglish.event!.id).toBe(inFrench.event!.id);
    expect(inEnglish.event!.title).toBe('Test consultation in three languages');
    expect(sessionTitles(inEnglish.event)).toEqual(['Courts and remedy', 'Complaints outside the courts', 'What affected people need']);
    expect(inEnglish.event!.agenda[0]!.items[0]!.session!.mechanismType!.name).toBe('Judicial mechanisms');
    expect(judicialName(inEnglish)).toBe('Judicial mechanisms');

    // Each language read again from the cache alone, neither overwritten by the other.
    expect((await client.query({ query: EventAgendaDocument, variables: french, fetchPolicy: 'cache-only' })).data).toEqual(inFrench);
    expect((await client.query({ query: EventAgendaDocument, variables: english, fetchPolicy: 'cache-only' })).data).toEqual(inEnglish);
    expect(requests).toBe(2);
    expect(warned()).toEqual([]);
  });
});
