import { getIntrospectionQuery, type IntrospectionField, type IntrospectionQuery, type IntrospectionType, type IntrospectionTypeRef } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { RegisterForEventDocument, SessionAvailabilityDocument } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { apiClient, postGraphQL } from './support/api.js';
import { futureEvent } from './support/future-event.js';

const slug = 'privacy';
const secrets: string[] = [];
/** What the walker sends where a manage token is asked for. */
let tokenGuess = 'reg_guessed-token';
const knownIds: string[] = [];

beforeAll(async () => {
  await importEvent(futureEvent(slug, { remoteSeats: 10 }));
  const client = apiClient();
  const { event } = await client.request(SessionAvailabilityDocument, { slug });
  const items = event!.agenda.flatMap((day) => day.items);
  knownIds.push(...items.flatMap((item) => [item.id, item.session?.id ?? item.break!.id]));
  const { registerForEvent } = await client.request(RegisterForEventDocument, {
    input: { eventSlug: slug, name: 'Private Person', email: 'private.person@example.org', attendanceMode: 'REMOTE', sessionIds: [items[0]!.session!.id, items[2]!.session!.id], consent: true },
  });
  if (registerForEvent.__typename !== 'RegisterForEventPayload' || !registerForEvent.registration) throw new Error('registration refused');
  // The join link of session 1 is released (it starts within the lead time): the registrant sees it.
  expect(registerForEvent.registration.sessions[0]!.zoomLink!.url).toBe('https://zoom.example/j/111');
  const stored = await prisma.registration.findFirstOrThrow({ where: { email: 'private.person@example.org' } });
  secrets.push('private.person@example.org', 'Private Person', registerForEvent.manageToken!, stored.manageTokenHash!, 'zoom.example');
  knownIds.push(registerForEvent.registration.id);
});

const named = (ref: IntrospectionTypeRef): string => ('ofType' in ref && ref.ofType ? named(ref.ofType) : (ref as { name: string }).name);
const required = (ref: IntrospectionTypeRef) => ref.kind === 'NON_NULL';

/**
 * A query for `field` selecting everything beneath it down to `depth`, with arguments an
 * anonymous caller could guess (the event's slug, a real global ID, a made-up token), or null
 * when the field needs an argument it can't fill.
 */
function selection(types: Map<string, IntrospectionType>, field: IntrospectionField, depth: number, id: string, alias = ''): string | null {
  const token = tokenGuess;
  const args: string[] = [];
  for (const arg of field.args) {
    const type = named(arg.type);
    if (arg.name === 'first') args.push('first: 5');
    else if (!required(arg.type)) continue;
    else if (type === 'ID') args.push(`${arg.name}: ${JSON.stringify(id)}`);
    else if (type === 'String') args.push(`${arg.name}: ${JSON.stringify(/token/i.test(arg.name) ? token : slug)}`);
    else if (type === 'Locale') args.push(`${arg.name}: "en"`);
    else if (arg.type.kind === 'NON_NULL' && 'ofType' in arg.type && arg.type.ofType.kind === 'LIST' && type === 'ID') args.push(`${arg.name}: [${JSON.stringify(id)}]`);
    else return null;
  }
  const head = `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
  const type = types.get(named(field.type))!;
  if (type.kind === 'SCALAR' || type.kind === 'ENUM') return head;
  if (depth === 0) return null;
  const body = fieldsOf(types, type, depth - 1, id);
  return body ? `${head} { __typename ${body} }` : null;
}

// Fields under a type condition get aliases: two types may have a same-named field of another type.
function fieldsOf(types: Map<string, IntrospectionType>, type: IntrospectionType, depth: number, id: string, aliased = false): string {
  if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
    const own = type.fields.flatMap((field) => selection(types, field, depth, id, aliased ? `${type.name}_${field.name}: ` : '') ?? []);
    const implementations = type.kind === 'INTERFACE' ? type.possibleTypes.map((possible) => `... on ${possible.name} { ${fieldsOf(types, types.get(possible.name)!, depth, id, true)} }`) : [];
    return [...own, ...implementations].join(' ');
  }
  if (type.kind === 'UNION') return type.possibleTypes.map((possible) => `... on ${possible.name} { __typename ${fieldsOf(types, types.get(possible.name)!, depth, id, true)} }`).join(' ');
  return '';
}

describe('an anonymous caller', () => {
  it('reaches no registrant\'s personal data, manage token or join link, anywhere in the schema', async () => {
    const { json } = await postGraphQL({ query: getIntrospectionQuery() });
    const schema = json.data as IntrospectionQuery;
    const types = new Map(schema.__schema.types.map((type) => [type.name, type]));
    const query = types.get(schema.__schema.queryType.name)! as Extract<IntrospectionType, { kind: 'OBJECT' }>;

    let walked = 0;
    for (const id of knownIds) {
      for (const field of query.fields) {
        const document = selection(types, field, 5, id);
        if (!document) continue;
        const { status, json: answer } = await postGraphQL({ query: `{ ${document} }` });
        walked += 1;
        const text = JSON.stringify(answer);
        for (const secret of secrets) expect(text, `${field.name} with ${id}`).not.toContain(secret);
        // Every answer is real data or a refusal, never a limit that would hide what a field returns.
        expect(status).toBe(200);
        for (const error of answer.errors ?? []) expect(['FORBIDDEN', 'BAD_USER_INPUT'], `${field.name}: ${error.message} ${document.slice(0, 300)}`).toContain(error.extensions?.code);
      }
    }
    expect(walked).toBeGreaterThanOrEqual(knownIds.length * 5);

    // The walk does reach personal data when given the key: with the real token, it finds it.
    tokenGuess = secrets[2]!;
    const withToken = selection(types, query.fields.find((field) => field.name === 'registration')!, 5, knownIds[0]!)!;
    const { json: opened } = await postGraphQL({ query: `{ ${withToken} }` });
    expect(JSON.stringify(opened)).toContain('private.person@example.org');
    expect(JSON.stringify(opened)).toContain('https://zoom.example/j/111');
    // No public type carries a join link field at all.
    const session = types.get('Session') as Extract<IntrospectionType, { kind: 'OBJECT' }>;
    expect(session.fields.map((field) => field.name)).not.toContain('zoomJoinUrl');
  });
});
