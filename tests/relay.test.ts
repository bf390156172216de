import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Environment, Network, RecordSource, Store, createOperationDescriptor, fetchQuery, getSelector, type GraphQLTaggedNode } from 'relay-runtime';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { yoga } from '../src/app.js';
import { EventAgendaDocument } from '../src/client/operations.js';

const slug = 'ohchr-remedy-tech-2021';
const relayProject = new URL('relay/', import.meta.url);

/** Relay and Apollo report what they find wrong (conflicting types, lost fields) through the console. */
let warnings: MockInstance[] = [];
beforeEach(() => {
  warnings = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
});
afterEach(() => vi.restoreAllMocks());
const warned = () => warnings.flatMap((spy) => spy.mock.calls.map((call) => call.join(' ')));

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
  };
}

function relayEnvironment() {
  const network = Network.create(async (operation, variables) => {
    const response = await yoga.fetch('http://api.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: operation.text, variables }),
    });
    return response.json();
  });
  return new Environment({ network, store: new Store(new RecordSource()) });
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
