/**
 * npm run bench: the API under load on PostgreSQL, each server in its own process.
 *   - the full agenda query, uncached (CACHE_MAX_AGE=0) and cached (GET, response cache);
 *   - a plain node:http server sending the cached answer's bytes: the ceiling for the cached run;
 *   - registrations (POST registerForEvent, a new email each);
 * with requests/s, p50/p99 latency, SQL statements per request and peak memory (VmHWM).
 * BENCH_DATABASE_URL (default: a fresh `event_api_bench` database on 127.0.0.1), BENCH_SECONDS
 * (default 10), BENCH_CONNECTIONS (default 32).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { print } from 'graphql';
import pg from 'pg';
import { EventAgendaDocument, RegisterForEventDocument } from '../src/client/operations.js';
import { startServer, type ServerProcess } from '../tests/support/server-process.js';
import { futureEvent } from '../tests/support/future-event.js';
import { generatedEvent } from '../tests/support/generated-event.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseUrl = process.env.BENCH_DATABASE_URL ?? adminUrl.replace(/\/[^/]*$/, '/event_api_bench');

async function freshDatabase() {
  if (process.env.BENCH_DATABASE_URL) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS event_api_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE event_api_bench');
  await admin.end();
}

/** Peak resident memory of a process, in MiB. */
async function peakMemory(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024);
}

/** The server's real PID: `npx tsx` runs node under a wrapper or two. */
async function nodePid(server: ServerProcess): Promise<number> {
  let pid = server.child.pid!;
  for (;;) {
    let children: string[] = [];
    try {
      children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().trim().split('\n').filter(Boolean);
    } catch {
      // ps exits 1 when the process has no children
    }
    if (children.length === 0) return pid;
    pid = Number(children.at(-1));
  }
}

interface Row {
  run: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  sqlPerRequest: number | string;
  peakMiB: number | string;
}

async function load(title: string, options: autocannon.Options): Promise<Omit<Row, 'sqlPerRequest' | 'peakMiB'>> {
  const result = await autocannon({ connections, duration: seconds, ...options, title });
  return {
    run: title,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** SQL statements per request, read from PostgreSQL's own counters over a few requests. */
async function sqlPerRequest(run: () => Promise<unknown>, times = 20): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const count = async () =>
    Number((await client.query('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0].n);
  await client.query('SELECT pg_stat_clear_snapshot()');
  const before = await count();
  for (let index = 0; index < times; index += 1) await run();
  await new Promise((resolve) => setTimeout(resolve, 600)); // statistics are flushed every 500 ms
  await client.query('SELECT pg_stat_clear_snapshot()');
  const after = await count();
  await client.end();
  return Math.round(((after - before - 1) / times) * 10) / 10;
}

await freshDatabase();
const env = { DATABASE_URL: databaseUrl, NODE_ENV: 'production', ADMIN_SECRET: 'bench-secret', DATABASE_POOL_SIZE: '16' };
const rows: Row[] = [];
const agendaBody = JSON.stringify({ query: print(EventAgendaDocument), variables: { slug: 'ohchr-remedy-tech-2021' } });
const agendaGet = `/graphql?query=${encodeURIComponent(print(EventAgendaDocument))}&variables=${encodeURIComponent(JSON.stringify({ slug: 'ohchr-remedy-tech-2021' }))}`;

// Uncached: every request runs the query.
const uncached = await startServer({ ...env, CACHE_MAX_AGE: '0' });
await fetch(`${uncached.url}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer bench-secret' },
  body: JSON.stringify({ query: 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', variables: { input: { file: generatedEvent({ slug: 'large', sessions: 200, panelists: 1000 }) } } }),
});
const postAgenda = () => fetch(`${uncached.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: agendaBody }).then((r) => r.text());
await postAgenda();
rows.push({
  ...(await load('agenda, uncached (POST)', { url: `${uncached.url}/graphql`, method: 'POST', headers: { 'content-type': 'application/json' }, body: agendaBody })),
  sqlPerRequest: await sqlPerRequest(postAgenda),
  peakMiB: await peakMemory(await nodePid(uncached)),
});
await uncached.stop();

// Cached: GET, answered from the response cache.
const cached = await startServer(env);
const cachedBytes = Buffer.from(await (await fetch(`${cached.url}${agendaGet}`)).arrayBuffer());
rows.push({
  ...(await load('agenda, cached (GET)', { url: `${cached.url}${agendaGet}` })),
  sqlPerRequest: await sqlPerRequest(() => fetch(`${cached.url}${agendaGet}`).then((r) => r.text())),
  peakMiB: await peakMemory(await nodePid(cached)),
});

// The ceiling: node:http sending the same bytes, doing nothing else.
const plain = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': cachedBytes.length });
  response.end(cachedBytes);
});
await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
rows.push({ ...(await load('same bytes, plain node:http', { url: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/` })), sqlPerRequest: 0, peakMiB: '-' });
plain.close();

// Registrations: each request a new person, for a session with room for all of them.
await fetch(`${cached.url}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer bench-secret' },
  body: JSON.stringify({ query: 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', variables: { input: { file: futureEvent('bench-registration', { remoteSeats: 1_000_000 }) } } }),
});
const sessionId = (await (await fetch(`${cached.url}/graphql?query=${encodeURIComponent('{ event(slug: "bench-registration") { agenda { items { id } } } }')}`)).json()).data.event.agenda[0].items[0].id;
let person = 0;
const registration = () =>
  JSON.stringify({
    query: print(RegisterForEventDocument),
    variables: { input: { eventSlug: 'bench-registration', name: 'Bench', email: `bench${(person += 1)}@example.org`, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true } },
  });
const register = () => fetch(`${cached.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: registration() }).then((r) => r.text());
rows.push({
  ...(await load('registerForEvent (POST)', {
    url: `${cached.url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: registration() }) }],
  })),
  sqlPerRequest: await sqlPerRequest(register),
  peakMiB: await peakMemory(await nodePid(cached)),
});
await cached.stop();

console.log(`\n${seconds} s per run, ${connections} connections, PostgreSQL ${new URL(databaseUrl).host}; latency in ms; SQL = transactions per request (pg_stat_database)\n`);
console.table(rows);
const rate = (run: string) => rows.find((row) => row.run.startsWith(run))!.requestsPerSecond;
console.log(`cached / uncached agenda: ${(rate('agenda, cached') / rate('agenda, uncached')).toFixed(1)}x`);
console.log(`cached agenda / plain node:http: ${(rate('agenda, cached') / rate('same bytes')).toFixed(2)}`);
console.log(`cached agenda response: ${cachedBytes.length} bytes`);
