import { describe, expect, it } from 'vitest';
import { EventAgendaDocument, EventsDocument, NodeDocument, SessionsByMechanismTypeDocument } from '../src/client/operations.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { apiClient, postGraphQL } from './support/api.js';
import { generatedEvent } from './support/generated-event.js';

const client = apiClient();
const slug = 'ohchr-remedy-tech-2021';

describe('public read API', () => {
  it('answers null for an unknown slug', async () => {
    expect((await client.request(EventAgendaDocument, { slug: 'no-such-event' })).event).toBeNull();
  });

  it('answers nodes(ids:) one ID at a time: a bad one is null at its index with an error pointing at it', async () => {
    const { event } = await client.request(EventAgendaDocument, { slug });
    const session = event!.sessions.edges[0]!.node.id;
    const unknownType = Buffer.from('Nope:1').toString('base64');
    const { json } = await postGraphQL({
      query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }',
      variables: { ids: ['garbage', event!.id, unknownType, session] },
    });
    expect(json.data.nodes).toEqual([null, { id: event!.id, __typename: 'Event' }, null, { id: session, __typename: 'Session' }]);
    expect(json.errors.map((error: { path: unknown[]; extensions: { code: string } }) => [error.path, error.extensions.code])).toEqual([
      [['nodes', 0], 'BAD_USER_INPUT'],
      [['nodes', 2], 'BAD_USER_INPUT'],
    ]);
  });

  it('finds every node by its global ID, and refuses a malformed one with a clear error', async () => {
    const { event } = await client.request(EventAgendaDocument, { slug });
    for (const id of [event!.id, event!.sessions.edges[1]!.node.id, event!.documents[0]!.id, event!.sessions.edges[0]!.node.mechanismType!.id]) {
      const { node } = await client.request(NodeDocument, { id });
      expect(node?.id).toBe(id);
    }
    expect((await client.request(NodeDocument, { id: event!.sessions.edges[1]!.node.id })).node).toMatchObject({ __typename: 'Session', number: 2 });

    const { json } = await postGraphQL({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: 'not-an-id!' } });
    expect(json.data?.node ?? null).toBeNull();
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].message).toBe('"not-an-id!" is not a valid ID: use an `id` returned by this API');
    expect(json.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    // Well formed, but of no type this API has: refused the same way.
    const unknownType = await postGraphQL({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: Buffer.from('Nope:1').toString('base64') } });
    expect(unknownType.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // A session that doesn't exist (or no longer does) is simply not found.
    const gone = await postGraphQL({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: Buffer.from('Session:00000000-0000-7000-8000-000000000000').toString('base64') } });
    expect(gone.json).toEqual({ data: { node: null } });
  });

  it('filters sessions by mechanism type and the agenda by day', async () => {
    const judicial = await client.request(SessionsByMechanismTypeDocument, { slug, mechanismType: 'JUDICIAL' });
    expect(judicial.event!.sessions.edges.map((edge) => edge.node.number)).toEqual([1]);
    const nonJudicial = await client.request(SessionsByMechanismTypeDocument, { slug, mechanismType: 'STATE_BASED_NON_JUDICIAL' });
    expect(nonJudicial.event!.sessions.edges.map((edge) => edge.node.number)).toEqual([2]);
    const all = await client.request(SessionsByMechanismTypeDocument, { slug });
    expect(all.event!.sessions.totalCount).toBe(4);

    const friday = await client.request(EventAgendaDocument, { slug, day: '2021-09-24' });
    expect(friday.event!.agenda.map((day) => day.date)).toEqual(['2021-09-24']);
    expect(friday.event!.agenda[0]!.items.map((item) => item.session?.number ?? item.kind)).toEqual([3, 'BREAK', 4]);
  });

  it('groups the agenda by day in the event\'s time zone, not in UTC', async () => {
    // 08:30 on 1 March in Auckland is still 28 February in UTC.
    await importEvent({
      event: {
        slug: 'auckland-morning',
        title: 'Morning in Auckland',
        organizer: 'Test',
        status: 'CONFIRMED',
        startsAt: '2030-03-01T08:30:00+13:00',
        endsAt: '2030-03-01T10:00:00+13:00',
        timeZone: 'Pacific/Auckland',
        format: 'IN_PERSON',
        sessions: [{ number: 1, title: 'Opening', startsAt: '2030-03-01T08:30:00+13:00', endsAt: '2030-03-01T10:00:00+13:00' }],
      },
    });
    const { event } = await client.request(EventAgendaDocument, { slug: 'auckland-morning' });
    expect(event!.startsAt).toBe('2030-02-28T19:30:00.000Z');
    expect(event!.timeZone).toBe('Pacific/Auckland');
    expect(event!.agenda.map((day) => day.date)).toEqual(['2030-03-01']);
  });

  it('pages through events with a connection', async () => {
    await importEvent(generatedEvent({ slug: 'small-one', sessions: 2, panelists: 2 }));
    await importEvent(generatedEvent({ slug: 'small-two', sessions: 2, panelists: 2, timeZone: 'Asia/Tokyo' }));
    const first = await client.request(EventsDocument, { first: 2 });
    expect(first.events.totalCount).toBeGreaterThanOrEqual(3);
    expect(first.events.pageInfo.hasNextPage).toBe(true);
    const rest = await client.request(EventsDocument, { first: 50, after: first.events.pageInfo.endCursor });
    const slugs = [...first.events.edges, ...rest.events.edges].map((edge) => edge.node.slug);
    expect(new Set(slugs).size).toBe(first.events.totalCount);
    expect(slugs[0]).toBe(slug);
  });

  it('serves reads over GET, so they can be cached', async () => {
    const query = encodeURIComponent('{ event(slug: "ohchr-remedy-tech-2021") { title } }');
    const { yoga } = await import('../src/app.js');
    const response = await yoga.fetch(`http://api.test/graphql?query=${query}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect((await response.json()).data.event.title).toMatch(/^OHCHR/);
  });
});
