import { print } from 'graphql';
import type pg from 'pg';
import { RegisterForEventDocument } from '../src/client/operations.js';
import { futureEvent } from '../tests/support/future-event.js';

// The desk's runs of `npm run bench`: approving 1,000 pending requests in one call, and the audit
// log's first page over 100,000 entries.

const secret = { 'content-type': 'application/json', authorization: 'Bearer bench-secret' };

async function post(url: string, body: unknown, headers: Record<string, string> = secret): Promise<any> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
  const parsed = await response.json();
  if (!response.ok || parsed.errors) throw new Error(`${response.status}: ${JSON.stringify(parsed).slice(0, 1000)}`);
  return parsed.data;
}

/** An event reviewing in-person places, with `requests` pending for its first session (`seats` seats); returns their ids. */
export async function pendingRequests(url: string, slug: string, requests: number, seats: number): Promise<string[]> {
  const file = futureEvent(slug, { roomSeats: seats });
  await post(url, { query: 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', variables: { input: { file: { ...file, event: { ...file.event, approvalRequiredFor: ['IN_PERSON'] } } } } });
  const { event } = await post(url, { query: '{ event(slug: "' + slug + '") { sessions(first: 1) { edges { node { id } } } } }' });
  const sessionId = event.sessions.edges[0].node.id;
  const ids: string[] = [];
  // Sixteen at a time: the requests only need to exist.
  for (let start = 0; start < requests; start += 16) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(16, requests - start) }, (_, index) =>
        post(url, {
          query: print(RegisterForEventDocument),
          variables: { input: { eventSlug: slug, name: 'Bench', email: `desk${start + index}@example.org`, attendanceMode: 'IN_PERSON', sessionIds: [sessionId], consent: true } },
        }, { 'content-type': 'application/json' }),
      ),
    );
    ids.push(...batch.map((data) => data.registerForEvent.registration.id));
  }
  return ids;
}

/** Approves `ids` in one call, answering the milliseconds it took and how many were confirmed. */
export async function approveAll(url: string, ids: string[]): Promise<{ ms: number; confirmed: number }> {
  const started = performance.now();
  const data = await post(url, {
    query: 'mutation ($ids: [ID!]!) { approveRegistrations(input: { ids: $ids }) { __typename ... on ReviewRegistrationsPayload { registrations { sessions { status } } } ... on Error { message } } }',
    variables: { ids },
  });
  const ms = performance.now() - started;
  if (data.approveRegistrations.__typename !== 'ReviewRegistrationsPayload') throw new Error(JSON.stringify(data.approveRegistrations));
  const confirmed = data.approveRegistrations.registrations.filter((registration: { sessions: { status: string }[] }) => registration.sessions[0]!.status === 'CONFIRMED').length;
  return { ms: Math.round(ms), confirmed };
}

/** `count` audit entries for the event `slug`, written straight into the table (as many admin changes would). */
export async function auditEntries(client: pg.Client, slug: string, count: number): Promise<void> {
  await client.query(
    `INSERT INTO "AuditEntry" ("actorKind", "actorName", "action", "eventId", "targetId", "changes")
     SELECT 'ADMIN_TOKEN', 'bench', 'session.update', e.id, 'U2Vzc2lvbjpiZW5jaA==', jsonb_build_object('title', jsonb_build_object('before', 'T' || n, 'after', 'T' || (n + 1)))
     FROM "Event" e, generate_series(1, $2::int) AS n WHERE e.slug = $1`,
    [slug, count],
  );
}

/** The audit log's first page of an event, as an auditor's screen asks for it. */
export const auditPage = (slug: string) =>
  JSON.stringify({
    query: 'query ($slug: String!) { auditLog(eventSlug: $slug, first: 50) { edges { cursor node { id at actor { kind id name } action targetId changes } } pageInfo { hasNextPage endCursor } } }',
    variables: { slug },
  });

export const adminHeaders = secret;
