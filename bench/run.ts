/**
 * npm run bench: the API under load on PostgreSQL, each server in its own process.
 *   - the full agenda query (EventAgenda), uncached (CACHE_MAX_AGE=0), POST;
 *   - PostGraphile 5 (bench/postgraphile, its own dependencies) answering the same nested query of
 *     its generated schema (bench/postgraphile/agenda.graphql) on the same database, POST;
 *   - the agenda cached (GET, response cache), in English and in French (Accept-Language), and a
 *     soak of it (BENCH_SOAK_SECONDS) sampling the API process's RSS every 5 s;
 *   - a plain node:http server sending the cached answer's bytes: the ceiling for the cached run;
 *   - registrations (POST registerForEvent, a new email each), and their ceiling: the same SQL
 *     transaction as registerForEvent sends it, run by a plain `pg` pool with nothing else;
 *   - start-up: time from spawning the server to its first answered agenda, first and second
 *     start, on PGlite and PostgreSQL; and the agenda's bytes on the wire, raw, gzip and Brotli;
 * with requests/s, p50/p99 latency and their ratio, errors, SQL statements per request and peak
 * memory (VmHWM), then the ratios against their targets. Each load run measures what follows its
 * first 2 s (the warm-up).
 * BENCH_DATABASE_URL (default: a fresh `event_api_bench` database on 127.0.0.1, made through
 * BENCH_ADMIN_URL), BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 32),
 * BENCH_SOAK_SECONDS (default 60), BENCH_ONLY (some of `start-up`, `agenda`, `cached`,
 * `registration`, `desk`, comma-separated: only those runs; default all).
 *   - the desk (bench/desk.ts): approveRegistrations of 1,000 pending requests in one call, and the
 *     audit log's first page of an event with 100,000 entries against one with 100.
 */
import { existsSync } from 'node:fs';
import { readFile, readlink, realpath } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { get as httpGet } from 'node:http';
import autocannon from 'autocannon';
import { print } from 'graphql';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { buildIfStale } from '../scripts/build.mjs';
import { EventAgendaDocument, RegisterForEventDocument } from '../src/client/operations.js';
import { adminHeaders, approveAll, auditEntries, auditPage, pendingRequests } from './desk.js';
import { startUpTimes } from './start-up.js';
import { startNodeServer, startServer, type ServerProcess } from '../tests/support/server-process.js';
import { futureEvent } from '../tests/support/future-event.js';
import { generatedEvent } from '../tests/support/generated-event.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const databaseUrl = process.env.BENCH_DATABASE_URL ?? adminUrl.replace(/\/[^/]*$/, '/event_api_bench');
const postgraphileDir = resolve(import.meta.dirname, 'postgraphile');
const groups = ['start-up', 'agenda', 'cached', 'registration', 'desk'] as const;
const only = new Set(process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((group) => group.trim()) : groups);
for (const group of only) if (!groups.includes(group as (typeof groups)[number])) throw new Error(`BENCH_ONLY: unknown run "${group}", expected some of ${groups.join(', ')}`);
const runs = (group: (typeof groups)[number]) => only.has(group);
const seedSlug = 'ohchr-remedy-tech-2021';
const largeSlug = 'large';

async function freshDatabase() {
  if (process.env.BENCH_DATABASE_URL) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS event_api_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE event_api_bench');
  await admin.end();
}

async function onBenchDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A line of /proc/<pid>/status, in MiB. */
async function procMemory(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024);
}

/** CPU time a process has used so far (user + system), in ms: steadier than req/s on a busy machine. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Peak resident memory of a process, in MiB. */
const peakMemory = (pid: number) => procMemory(pid, 'VmHWM');

/**
 * The server's node process: the spawned process when it is node itself (startServer runs
 * `node dist/server.js`), else the node process under a wrapper (`npx`). Never one of node's
 * own children.
 */
async function nodePid(server: { child: ChildProcess }): Promise<number> {
  const node = await realpath(process.execPath);
  const isNode = async (pid: number) => (await readlink(`/proc/${pid}/exe`).catch(() => '')) === node;
  const queue = [server.child.pid!];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (await isNode(pid)) return pid;
    try {
      queue.push(...execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number));
    } catch {
      // ps exits 1 when the process has no children
    }
  }
  throw new Error(`no node process under ${server.child.pid}`);
}

// ---------------------------------------------------------------------------------------------
// SQL statements per request

interface StatementCounter {
  /** What the SQL column counts, for the printed header. */
  description: string;
  read: (client: pg.Client) => Promise<number>;
  /** How long PostgreSQL may take to show what the servers' connections did. */
  settleMs: number;
}

/**
 * pg_stat_statements when the server preloads it (it can't be loaded later); otherwise committed
 * and rolled-back transactions from pg_stat_database. Outside an explicit transaction each
 * statement is its own transaction, so for reads that is the statement count.
 */
async function statementCounter(): Promise<StatementCounter> {
  const preloaded = await onBenchDatabase(async (client) => {
    const libraries = String((await client.query("SELECT current_setting('shared_preload_libraries') AS value")).rows[0].value);
    if (!/\bpg_stat_statements\b/.test(libraries)) return false;
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return true;
  });
  if (preloaded) {
    return {
      description: 'SQL/req = statements executed per request (pg_stat_statements calls, BEGIN and COMMIT included): 21 requests in a row less 1',
      read: async (client) =>
        Number(
          (
            await client.query(
              "SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'",
            )
          ).rows[0].n,
        ),
      settleMs: 200,
    };
  }
  return {
    description:
      'SQL/req = transactions per request in pg_stat_database (xact_commit + xact_rollback): 21 requests in a row less 1 ' +
      '(pg_stat_statements is not preloaded on this server). A statement outside an explicit transaction is its own transaction, ' +
      'so for the reads this is the statement count; a write\'s explicit transaction counts once, however many statements it holds',
    read: async (client) =>
      Number((await client.query('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0].n),
    // A backend that flushed its counters less than 1 s before going idle holds the rest for
    // PGSTAT_IDLE_INTERVAL (10 s) before it shows them.
    settleMs: 11_000,
  };
}

await freshDatabase();
const counter = await statementCounter();

/**
 * SQL statements per request, from PostgreSQL's own counters: the difference between a window of
 * 1 request and one of 21, each request after the other. What doesn't grow with the requests
 * cancels out: the reading's own transaction, and the connections the servers' pools reopen after
 * the wait (node-postgres closes a connection idle for 10 s) with whatever a new connection runs.
 */
async function sqlPerRequest(run: () => Promise<unknown>, [few, many] = [1, 21]): Promise<number> {
  await run();
  const settle = () => new Promise((done) => setTimeout(done, counter.settleMs));
  return onBenchDatabase(async (client) => {
    await settle();
    const counts = [await counter.read(client)];
    for (const times of [few, many]) {
      for (let index = 0; index < times; index += 1) await run();
      await settle();
      counts.push(await counter.read(client));
    }
    const [start, middle, end] = counts as [number, number, number];
    return Math.round((((end - middle) - (middle - start)) / (many - few)) * 10) / 10;
  });
}

// ---------------------------------------------------------------------------------------------
// Load

interface Row {
  run: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU time per request answered, when the server is a process of ours to read. */
  cpuMsPerRequest?: number;
  sqlPerRequest: number | '-';
  peakMiB: number | '-';
}

/** The value below which `share` of the sorted latencies fall. */
function percentile(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

/** Load before each measured run, not measured. */
const warmUpSeconds = 2;

/**
 * One autocannon run whose first `warmUpSeconds` are not measured. The statement counts before it
 * leave a server idle for 11 s, long enough for its pool to close every connection, and all the
 * connections start at once: the first responses would measure reopening connections and that
 * start (measured: they were the slowest of a run, by seconds). One run, so no requests are
 * abandoned in between. Figures count the responses to requests sent after the warm-up; latency
 * percentiles come from each 2xx response's own time (autocannon's histogram keeps whole
 * milliseconds, too coarse for a p99/p50 ratio of fast answers).
 */
async function load(title: string, options: autocannon.Options, serverPid?: number): Promise<Omit<Row, 'sqlPerRequest' | 'peakMiB'>> {
  const latencies: number[] = [];
  let answered = 0;
  let refused = 0;
  let measuredFrom = Number.POSITIVE_INFINITY;
  let cpuBefore = 0;
  const warmedUp = new Promise<void>((done) =>
    setTimeout(async () => {
      if (serverPid) cpuBefore = await cpuMs(serverPid);
      measuredFrom = performance.now();
      done();
    }, warmUpSeconds * 1000),
  );
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon({ connections, ...options, duration: warmUpSeconds + Number(options.duration ?? seconds), title }, (error: unknown, output: autocannon.Result) =>
      error ? fail(error) : done(output),
    );
    // autocannon emits (client, statusCode, bytes, milliseconds); its types leave out the client.
    (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
      if (performance.now() - ms < measuredFrom) return;
      answered += 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
      else refused += 1;
    });
  });
  const measuredSeconds = (performance.now() - measuredFrom) / 1000;
  await warmedUp;
  const sorted = Float64Array.from(latencies).sort();
  return {
    run: title,
    requestsPerSecond: Math.round(answered / measuredSeconds),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    errors: result.errors + refused + (result.mismatches ?? 0),
    cpuMsPerRequest: serverPid ? ((await cpuMs(serverPid)) - cpuBefore) / answered : undefined,
  };
}

/** `connections` loops running `work` back to back for BENCH_SECONDS: autocannon's figures for work that isn't HTTP. */
async function loop(title: string, work: () => Promise<unknown>): Promise<Omit<Row, 'sqlPerRequest' | 'peakMiB'>> {
  const latencies: number[] = [];
  let errors = 0;
  // Warmed up like the HTTP runs: only work begun after the warm-up counts.
  const measuredFrom = performance.now() + warmUpSeconds * 1000;
  const end = measuredFrom + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        const measured = start >= measuredFrom;
        try {
          await work();
          if (measured) latencies.push(performance.now() - start);
        } catch {
          if (measured) errors += 1;
        }
      }
    }),
  );
  const sorted = Float64Array.from(latencies).sort();
  return { run: title, requestsPerSecond: Math.round(latencies.length / seconds), p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), errors };
}

// ---------------------------------------------------------------------------------------------
// The ceiling for registrations: registerForEvent's transaction (src/resolvers/registration.ts)
// for a new person choosing one session, statement for statement as Prisma sends it (taken from
// its query log), with the confirmation's job inserted by pg-boss itself, on a plain pg pool of the
// API's size with named prepared statements as the API uses. Nothing else: no HTTP, GraphQL,
// validation, event lookup or answer.

const registrationStatements = {
  knownAddress: 'SELECT "t0"."id" FROM "public"."Registration" AS "t0" WHERE (("t0"."eventId" = $1 AND "t0"."email" = $2) AND 1=1) LIMIT $3',
  insertRegistration:
    'INSERT INTO "public"."Registration" ("id","eventId","name","email","organization","stakeholderGroup","attendanceMode","interpretationLanguage","consentedAt","manageTokenHash","createdAt","updatedAt","approval") ' +
    'VALUES ($1,$2,$3,$4,$5,$6,CAST($7::text AS "public"."AttendanceMode"),$8,$9,$10,$11,$12,CAST($13::text AS "public"."ApprovalStatus")) ' +
    'RETURNING "public"."Registration"."id", "public"."Registration"."eventId", "public"."Registration"."name", "public"."Registration"."email", "public"."Registration"."organization", ' +
    '"public"."Registration"."stakeholderGroup"::text, "public"."Registration"."attendanceMode"::text, "public"."Registration"."interpretationLanguage", "public"."Registration"."consentedAt", ' +
    '"public"."Registration"."manageTokenHash", "public"."Registration"."cancelledAt", "public"."Registration"."createdAt", "public"."Registration"."updatedAt"',
  insertMessage:
    'INSERT INTO "public"."Message" ("id","registrationId","kind","status","attempts","createdAt") VALUES ($1,$2,CAST($3::text AS "public"."MessageKind"),CAST($4::text AS "public"."MessageStatus"),$5,$6)',
  lockSessions:
    'SELECT s.id, s."roomSeats", s."remoteSeats", s."startsAt", s."endsAt", s."zoomJoinUrl", e."zoomLinkLeadMinutes" ' +
    'FROM "Session" s JOIN "Event" e ON e.id = s."eventId" WHERE s.id = ANY($1) ORDER BY s.id FOR UPDATE OF s',
  countChoices:
    'SELECT COUNT(*) AS "_count$_all", "public"."SessionRegistration"."status"::text FROM "public"."SessionRegistration" WHERE ("public"."SessionRegistration"."sessionId" = $1 ' +
    'AND "public"."SessionRegistration"."attendanceMode" = CAST($2::text AS "public"."AttendanceMode") AND "public"."SessionRegistration"."status" IN ' +
    '(CAST($3::text AS "public"."SessionRegistrationStatus"),CAST($4::text AS "public"."SessionRegistrationStatus"))) GROUP BY "public"."SessionRegistration"."status" OFFSET $5',
  upsertChoice:
    'INSERT INTO "public"."SessionRegistration" ("id","registrationId","sessionId","attendanceMode","status","statusChangedAt","createdAt") ' +
    'VALUES ($1,$2,$3,CAST($4::text AS "public"."AttendanceMode"),CAST($5::text AS "public"."SessionRegistrationStatus"),$6,$7) ' +
    'ON CONFLICT ("registrationId","sessionId") DO UPDATE SET "attendanceMode" = CAST($8::text AS "public"."AttendanceMode"), "status" = CAST($9::text AS "public"."SessionRegistrationStatus"), "statusChangedAt" = $10 ' +
    'WHERE (("public"."SessionRegistration"."registrationId" = $11 AND "public"."SessionRegistration"."sessionId" = $12) AND 1=1) ' +
    'RETURNING "public"."SessionRegistration"."id", "public"."SessionRegistration"."registrationId", "public"."SessionRegistration"."sessionId", ' +
    '"public"."SessionRegistration"."attendanceMode"::text, "public"."SessionRegistration"."status"::text, "public"."SessionRegistration"."statusChangedAt", "public"."SessionRegistration"."createdAt"',
};

/** One new remote registrant for `sessionId`, as registerForEvent's transaction does it. */
async function rawRegistration(pool: pg.Pool, boss: PgBoss, eventId: string, sessionId: string, email: string): Promise<void> {
  const client = await pool.connect();
  const run = (name: keyof typeof registrationStatements, values: unknown[]) => client.query({ name, text: registrationStatements[name], values });
  try {
    await client.query('BEGIN');
    const now = new Date();
    await run('knownAddress', [eventId, email, 1]);
    const registration = (await run('insertRegistration', [randomUUID(), eventId, 'Bench', email, null, null, 'REMOTE', null, now, randomUUID(), now, now, 'NOT_REQUIRED'])).rows[0];
    const messageId = randomUUID();
    await run('insertMessage', [messageId, registration.id, 'CONFIRMATION', 'QUEUED', 0, now]);
    await boss.insert('mail', [{ id: messageId, data: { messageId } }], { db: { executeSql: (text, values) => client.query(text, values) } });
    const session = (await run('lockSessions', [[sessionId]])).rows[0];
    const counts = (await run('countChoices', [sessionId, 'REMOTE', 'CONFIRMED', 'WAITLISTED', 0])).rows;
    const count = (status: string) => Number(counts.find((row) => row.status === status)?._count$_all ?? 0);
    const status = (session.remoteSeats === null || count('CONFIRMED') < session.remoteSeats) && count('WAITLISTED') === 0 ? 'CONFIRMED' : 'WAITLISTED';
    await run('upsertChoice', [randomUUID(), registration.id, sessionId, 'REMOTE', status, now, now, 'REMOTE', status, now, registration.id, sessionId]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

/** PostGraphile 5 from bench/postgraphile, installed there on first use. */
async function startPostGraphile(): Promise<ServerProcess> {
  if (!existsSync(resolve(postgraphileDir, 'node_modules'))) {
    console.log('installing bench/postgraphile (PostGraphile 5, its own package.json)…');
    execFileSync('npm', ['install', '--prefix', postgraphileDir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  return startNodeServer({
    name: 'PostGraphile',
    args: ['server.mjs'],
    cwd: postgraphileDir,
    env: { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE, GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
    answers: (url) => fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then((response) => response.ok),
  });
}

const running: { stop: () => Promise<unknown>; output: () => string; child: ChildProcess }[] = [];
async function stop(server: (typeof running)[number]) {
  const index = running.indexOf(server);
  if (index >= 0) running.splice(index, 1);
  await server.stop();
}

// The rate limits and the body size limit are for the public; the bench imports a 200-session
// event in one request and registers thousands of people from one address. Registrations queue
// their mail without a worker sending it: its polling would count as SQL of the runs measured.
const env = {
  MAIL_WORKER: 'false',
  DATABASE_URL: databaseUrl,
  NODE_ENV: 'production',
  ADMIN_SECRET: 'bench-secret',
  DATABASE_POOL_SIZE: '16',
  MAX_REQUEST_BYTES: String(20 * 1024 * 1024),
  REGISTRATIONS_PER_ADDRESS: String(1_000_000_000),
};

async function importEvent(server: ServerProcess, file: unknown) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-secret' },
    body: JSON.stringify({ query: 'mutation ($input: ImportEventInput!) { importEvent(input: $input) { __typename } }', variables: { input: { file } } }),
  });
  const text = await response.text();
  if (!response.ok || !text.includes('"ImportEventPayload"')) throw new Error(`importEvent failed (${response.status}): ${text.slice(0, 1000)}`);
}

const json = { 'content-type': 'application/json' };
const agendaQuery = print(EventAgendaDocument);
const agendaBody = (slug: string) => JSON.stringify({ query: agendaQuery, variables: { slug } });
const agendaGet = `/graphql?query=${encodeURIComponent(agendaQuery)}&variables=${encodeURIComponent(JSON.stringify({ slug: seedSlug }))}`;
const peerQuery = await readFile(resolve(postgraphileDir, 'agenda.graphql'), 'utf8');
const peerBody = (slug: string) => JSON.stringify({ query: peerQuery, variables: { slug } });

async function answer(url: string, body: string): Promise<{ text: string; data: any }> {
  const response = await fetch(url, { method: 'POST', headers: json, body });
  const text = await response.text();
  const parsed = JSON.parse(text);
  if (!response.ok || parsed.errors) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 1000)}`);
  return { text, data: parsed.data };
}

type Outline = string[];
/** The sessions in agenda order, each as its title and its number of parts. */
function apiOutline(data: any): Outline {
  return data.event.agenda.flatMap((day: any) => day.items.filter((item: any) => item.session).map((item: any) => `${item.session.title} [${item.session.parts.length} parts]`));
}
function peerOutline(data: any): Outline {
  return data.allEvents.nodes[0].agenda.nodes.map((session: any) => `${session.title} [${session.partsBySessionId.nodes.length} parts]`);
}

// ---------------------------------------------------------------------------------------------

// The servers run the build, as `npm start` does.
await buildIfStale();
// First, while nothing else runs.
const startUp = runs('start-up') ? await startUpTimes(adminUrl) : undefined;

/** Bytes of a GET's body as sent, compressed or not (fetch would decompress it). */
function bytesOnTheWire(url: string, acceptEncoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve(bytes));
    }).on('error', reject);
  });
}

const rows: Row[] = [];
const soak: { samples: number[]; flat: boolean; first: number; last: number } = { samples: [], flat: false, first: 0, last: 0 };
const sqlBySlug: Record<string, { api: number; peer: number }> = {};
const desk: { approve?: { ms: number; confirmed: number }; approveSql?: number } = {};
const sizes = { api: 0, peer: 0, cached: 0, gzip: 0, br: 0 };

try {
  if (runs('agenda')) {
    // Uncached: every request runs the query. Its start migrates and seeds the database.
    const uncached = await startServer({ ...env, CACHE_MAX_AGE: '0' });
    running.push(uncached);
    await importEvent(uncached, generatedEvent({ slug: largeSlug, sessions: 200, panelists: 1000 }));
    await onBenchDatabase((client) => client.query('VACUUM ANALYZE'));

    // The peer, on the same database once it holds everything.
    const peer = await startPostGraphile();
    running.push(peer);

    // Both answer the same agenda: same sessions in the same order, with as many parts.
    for (const slug of [seedSlug, largeSlug]) {
      const ours = await answer(`${uncached.url}/graphql`, agendaBody(slug));
      const theirs = await answer(`${peer.url}/graphql`, peerBody(slug));
      const [a, b] = [apiOutline(ours.data), peerOutline(theirs.data)];
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        throw new Error(`the API and PostGraphile disagree on ${slug}:\n  API:         ${a.join(' | ')}\n  PostGraphile: ${b.join(' | ')}`);
      }
      console.log(`same agenda from both for ${slug}: ${a.length} sessions, ${a.reduce((sum, line) => sum + Number(/\[(\d+) parts\]$/.exec(line)![1]), 0)} parts`);
      if (slug === seedSlug) Object.assign(sizes, { api: Buffer.byteLength(ours.text), peer: Buffer.byteLength(theirs.text) });
    }

    const postAgenda = (slug: string) => () => fetch(`${uncached.url}/graphql`, { method: 'POST', headers: json, body: agendaBody(slug) }).then((r) => r.text());
    const postPeer = (slug: string) => () => fetch(`${peer.url}/graphql`, { method: 'POST', headers: json, body: peerBody(slug) }).then((r) => r.text());
    for (const slug of [seedSlug, largeSlug]) sqlBySlug[slug] = { api: await sqlPerRequest(postAgenda(slug)), peer: await sqlPerRequest(postPeer(slug)) };

    rows.push({
      ...(await load('agenda, uncached (POST)', { url: `${uncached.url}/graphql`, method: 'POST', headers: json, body: agendaBody(seedSlug) }, await nodePid(uncached))),
      sqlPerRequest: sqlBySlug[seedSlug]!.api,
      peakMiB: await peakMemory(await nodePid(uncached)),
    });
    await stop(uncached);

    rows.push({
      ...(await load('PostGraphile 5 agenda (POST)', { url: `${peer.url}/graphql`, method: 'POST', headers: json, body: peerBody(seedSlug) }, await nodePid(peer))),
      sqlPerRequest: sqlBySlug[seedSlug]!.peer,
      peakMiB: await peakMemory(await nodePid(peer)),
    });
    await stop(peer);
  }

  // Cached: GET, answered from the response cache; registrations go to the same server.
  if (runs('cached') || runs('registration')) {
    const cached = await startServer(env);
    running.push(cached);
    const cachedPid = await nodePid(cached);
    if (runs('cached')) {
      const cachedBytes = Buffer.from(await (await fetch(`${cached.url}${agendaGet}`)).arrayBuffer());
      sizes.cached = cachedBytes.length;
      sizes.gzip = await bytesOnTheWire(`${cached.url}${agendaGet}`, 'gzip');
      sizes.br = await bytesOnTheWire(`${cached.url}${agendaGet}`, 'br, gzip');
      const getAgenda = () => fetch(`${cached.url}${agendaGet}`).then((r) => r.text());
      const cachedSql = await sqlPerRequest(getAgenda);
      rows.push({ ...(await load('agenda, cached (GET)', { url: `${cached.url}${agendaGet}` }, cachedPid)), sqlPerRequest: cachedSql, peakMiB: await peakMemory(cachedPid) });
      // Asked in French by Accept-Language: an answer cached and kept apart from the English one.
      const french = { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.5' };
      const frenchSql = await sqlPerRequest(() => fetch(`${cached.url}${agendaGet}`, { headers: french }).then((r) => r.text()));
      rows.push({ ...(await load('agenda in French, cached (GET)', { url: `${cached.url}${agendaGet}`, headers: french }, cachedPid)), sqlPerRequest: frenchSql, peakMiB: await peakMemory(cachedPid) });

      // Memory over time: the cached agenda for BENCH_SOAK_SECONDS, RSS every 5 s.
      const sampler = setInterval(() => {
        procMemory(cachedPid, 'VmRSS').then((mib) => soak.samples.push(mib), () => {});
      }, 5_000);
      const soakRow = await load(`agenda, cached (GET), ${soakSeconds} s soak`, { url: `${cached.url}${agendaGet}`, duration: soakSeconds });
      clearInterval(sampler);
      const third = Math.max(1, Math.floor(soak.samples.length / 3));
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      // The first third is warm-up (caches, JIT, the heap growing to its working size): compare the
      // middle third with the last.
      soak.first = mean(soak.samples.slice(third, 2 * third));
      soak.last = mean(soak.samples.slice(-third));
      soak.flat = soak.samples.length > 0 && Math.abs(soak.last - soak.first) <= 0.1 * soak.first;
      rows.push({ ...soakRow, sqlPerRequest: '-', peakMiB: await peakMemory(cachedPid) });

      // The ceiling: node:http sending the same bytes, doing nothing else.
      const plain = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': cachedBytes.length });
        response.end(cachedBytes);
      });
      await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
      rows.push({ ...(await load('same bytes, plain node:http', { url: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/` })), sqlPerRequest: 0, peakMiB: '-' });
      plain.close();
    }

    if (runs('registration')) {
      // Registrations: each request a new person, for a session with room for all of them, days
      // ahead as most registrations are (a session whose join link is out also schedules its mail).
      const file = futureEvent('bench-registration', { remoteSeats: 1_000_000 });
      const later = file.event.sessions!.at(-1)!;
      const dayMs = 24 * 3_600_000;
      const shift = (iso: string) => new Date(Date.parse(iso) + dayMs).toISOString();
      file.event.sessions!.push({ ...later, number: later.number + 1, title: 'Later still', startsAt: shift(later.startsAt), endsAt: shift(later.endsAt) });
      file.event.endsAt = shift(file.event.endsAt);
      await importEvent(cached, file);
      const agenda = (await (await fetch(`${cached.url}/graphql?query=${encodeURIComponent('{ event(slug: "bench-registration") { agenda { items { title session { id } } } } }')}`)).json()).data.event.agenda;
      const sessionId = agenda.flatMap((day: { items: { title: string; session: { id: string } | null }[] }) => day.items).find((item: { title: string }) => item.title === later.title).session.id;
      let person = 0;
      const registration = () =>
        JSON.stringify({
          query: print(RegisterForEventDocument),
          variables: { input: { eventSlug: 'bench-registration', name: 'Bench', email: `bench${(person += 1)}@example.org`, attendanceMode: 'REMOTE', sessionIds: [sessionId], consent: true } },
        });
      const register = async () => {
        const text = await (await fetch(`${cached.url}/graphql`, { method: 'POST', headers: json, body: registration() })).text();
        if (!text.includes('"RegisterForEventPayload"')) throw new Error(`registerForEvent failed: ${text.slice(0, 1000)}`);
      };
      const registrationSql = await sqlPerRequest(register);
      rows.push({
        ...(await load('registerForEvent (POST)', {
          url: `${cached.url}/graphql`,
          method: 'POST',
          headers: json,
          requests: [{ setupRequest: (request) => ({ ...request, body: registration() }) }],
          // A refusal (rate limit, validation) answers 200 with an error type: count it as an error.
          verifyBody: (body) => String(body).includes('"RegisterForEventPayload"'),
        }, cachedPid)),
        sqlPerRequest: registrationSql,
        peakMiB: await peakMemory(cachedPid),
      });

      // The same transaction with nothing around it, on as many connections as the API's pool, for
      // the event's other session: counting seats costs more as a session fills, so each run starts
      // from an empty one.
      const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(env.DATABASE_POOL_SIZE) });
      // Only to insert jobs as the API does (the queue's tables exist: the API made them).
      const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 1, supervise: false, schedule: false, migrate: false });
      await boss.start();
      try {
        const { eventId, id } = (
          await pool.query('SELECT "eventId", id FROM "Session" WHERE "eventId" = (SELECT id FROM "Event" WHERE slug = $1) ORDER BY "startsAt" DESC LIMIT 1', ['bench-registration'])
        ).rows[0];
        const raw = () => rawRegistration(pool, boss, eventId, id, `raw${(person += 1)}@example.org`);
        const rawSql = await sqlPerRequest(raw);
        rows.push({ ...(await loop('same transaction, plain pg', raw)), sqlPerRequest: rawSql, peakMiB: '-' });
      } finally {
        await boss.stop({ graceful: false, close: true });
        await pool.end();
      }
    }
    await stop(cached);
  }

  if (runs('desk')) {
    const server = await startServer(env);
    running.push(server);
    const serverPid = await nodePid(server);
    const ids = await pendingRequests(server.url, 'bench-desk', 1_000, 600);
    const settle = () => new Promise((done) => setTimeout(done, counter.settleMs));
    // What the registrations did shows first, then the call alone.
    await settle();
    const before = await onBenchDatabase(counter.read);
    desk.approve = await approveAll(server.url, ids);
    await settle();
    desk.approveSql = (await onBenchDatabase(counter.read)) - before;
    await importEvent(server, futureEvent('bench-desk-small'));
    await onBenchDatabase(async (client) => {
      await auditEntries(client, 'bench-desk', 100_000);
      await auditEntries(client, 'bench-desk-small', 100);
      await client.query('VACUUM ANALYZE "AuditEntry"');
    });
    const page = (slug: string) => async () => {
      const text = await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: adminHeaders, body: auditPage(slug) })).text();
      if (JSON.parse(text).data?.auditLog?.edges?.length !== 50) throw new Error(`auditLog(${slug}) answered ${text.slice(0, 500)}`);
    };
    // The statements themselves are counted by tests/audit.test.ts (the same for any length, no count).
    for (const [slug, entries] of [['bench-desk-small', '100'], ['bench-desk', '100,000']] as const) {
      await page(slug)();
      rows.push({
        ...(await load(`auditLog first page, ${entries} entries`, { url: `${server.url}/graphql`, method: 'POST', headers: adminHeaders, body: auditPage(slug) }, serverPid)),
        sqlPerRequest: '-',
        peakMiB: await peakMemory(serverPid),
      });
    }
    await stop(server);
  }
} catch (error) {
  // What the servers said last, since a failed request often means one of them stopped.
  for (const { child, output } of running) {
    const state = child.exitCode === null && child.signalCode === null ? 'running' : `exited (${child.exitCode ?? child.signalCode})`;
    console.error(`--- ${child.spawnargs.slice(1).join(' ')}, ${state}, last output:\n${output().split('\n').slice(-30).join('\n')}`);
  }
  throw error;
} finally {
  await Promise.all(running.map((server) => server.stop()));
}

// ---------------------------------------------------------------------------------------------
// Report

const postgraphileManifest = resolve(postgraphileDir, 'node_modules/postgraphile/package.json');
const postgraphileVersion = existsSync(postgraphileManifest) ? JSON.parse(await readFile(postgraphileManifest, 'utf8')).version : null;
const ms = (value: number) => (Number.isFinite(value) ? Math.round(value * 100) / 100 : '-');
const spread = (row: Row) => (row.p50 > 0 ? row.p99 / row.p50 : Number.NaN);
console.log(
  `\n${seconds} s per run (soak ${soakSeconds} s), ${connections} connections, PostgreSQL ${new URL(databaseUrl).host}, Node ${process.version}, ` +
    `${postgraphileVersion ? `PostGraphile ${postgraphileVersion} (amber preset)` : 'PostGraphile not run'}.\n` +
    `Latency in ms, over every 2xx response. Errors = socket errors + non-2xx answers (+ refused registrations). ${counter.description}. ` +
    `CPU ms/req = user + system time of the server process over the run, per request (less sensitive than req/s to other load). Peak = VmHWM of the server process.\n`,
);
console.table(
  rows.map((row) => ({
    run: row.run,
    'req/s': row.requestsPerSecond,
    'p50 ms': ms(row.p50),
    'p99 ms': ms(row.p99),
    'p99/p50': ms(spread(row)),
    'CPU ms/req': row.cpuMsPerRequest === undefined ? '-' : ms(row.cpuMsPerRequest),
    errors: row.errors,
    'SQL/req': row.sqlPerRequest,
    'peak MiB': row.peakMiB,
  })),
);
if (runs('cached')) {
  console.log(`RSS of the API over the ${soakSeconds} s cached soak, every 5 s (MiB): ${soak.samples.join(' ')}`);
  console.log(`agenda answer: API ${sizes.api} bytes (cached GET ${sizes.cached}), PostGraphile ${sizes.peer} bytes`);
  console.log(`cached agenda on the wire: ${sizes.cached} bytes raw, ${sizes.gzip} gzip, ${sizes.br} Brotli (${((100 * sizes.br) / sizes.cached).toFixed(1)}% of raw)`);
}
if (startUp) {
  console.log(
    `start-up to the first answered agenda (ms): PGlite first ${startUp.pgliteFirst}, second ${startUp.pgliteSecond}; ` +
      `PostgreSQL first ${startUp.postgresFirst}, second ${startUp.postgresSecond}`,
  );
}

const find = (prefix: string) => rows.find((row) => row.run.startsWith(prefix))!;
const rate = (prefix: string) => find(prefix).requestsPerSecond;
const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
console.log('\nratios (target)');
if (runs('agenda')) {
  const versusPeer = rate('agenda, uncached') / rate('PostGraphile');
  console.log(`  uncached agenda / PostGraphile agenda, req/s (≥ 1):      ${versusPeer.toFixed(2)}  ${mark(versusPeer >= 1)}`);
}
if (runs('cached')) {
  const versusPlain = rate('agenda, cached (GET)') / rate('same bytes');
  console.log(`  cached agenda / plain node:http, req/s (≥ 1):            ${versusPlain.toFixed(2)}  ${mark(versusPlain >= 1)}`);
  const frenchVersusEnglish = rate('agenda in French, cached') / rate('agenda, cached (GET)');
  console.log(`  cached agenda in French / in English, req/s (≥ 0.9):     ${frenchVersusEnglish.toFixed(2)}  ${mark(frenchVersusEnglish >= 0.9)}`);
}
if (runs('registration')) {
  const versusRaw = rate('registerForEvent') / rate('same transaction');
  console.log(`  registerForEvent / same transaction on plain pg (≥ 0.5): ${versusRaw.toFixed(2)}  ${mark(versusRaw >= 0.5)}`);
}
console.log(`  p99/p50 at ${connections} connections (≤ 4):`);
for (const row of rows) console.log(`    ${row.run.padEnd(40)} ${String(ms(spread(row))).padStart(6)}  ${mark(spread(row) <= 4)}`);
if (runs('agenda')) {
  const seedSql = sqlBySlug[seedSlug]!;
  const largeSql = sqlBySlug[largeSlug]!;
  console.log(
    `  SQL per agenda request, seed event vs 200-session event (equal): API ${seedSql.api} vs ${largeSql.api}  ${mark(seedSql.api === largeSql.api)}` +
      `   (PostGraphile ${seedSql.peer} vs ${largeSql.peer})`,
  );
}
if (runs('cached')) {
  console.log(
    `  memory flat over the ${soakSeconds} s soak (last third within 10% of the middle third): ${soak.flat ? 'yes' : 'no'}` +
      ` (${soak.first.toFixed(0)} → ${soak.last.toFixed(0)} MiB, ${soak.first ? (((soak.last - soak.first) / soak.first) * 100).toFixed(1) : '-'}%)`,
  );
}
if (startUp) {
  console.log(`  second start, PGlite and PostgreSQL (≤ 2000 ms):         ${startUp.pgliteSecond} and ${startUp.postgresSecond}  ${mark(Math.max(startUp.pgliteSecond, startUp.postgresSecond) <= 2000)}`);
  console.log(`  first start on a new PGlite folder (≤ 4000 ms):          ${startUp.pgliteFirst}  ${mark(startUp.pgliteFirst <= 4000)}`);
}
if (runs('desk')) {
  console.log(`  approveRegistrations of 1,000 pending in one call: ${desk.approve!.ms} ms, ${desk.approve!.confirmed} confirmed of 600 seats, ${desk.approveSql} ${counter.description.includes('transactions per request') ? 'transactions' : 'statements'} in PostgreSQL's counter meanwhile`);
  const pages = rate('auditLog first page, 100,000') / rate('auditLog first page, 100 ');
  console.log(`  auditLog first page, 100,000 / 100 entries, req/s (≥ 0.8): ${pages.toFixed(2)}  ${mark(pages >= 0.8)}`);
}
if (runs('agenda') && runs('cached')) console.log(`  (cached / uncached agenda: ${(rate('agenda, cached (GET)') / rate('agenda, uncached')).toFixed(1)}x)`);

// Everything this script started has stopped; should a handle still hold the process, say which.
setTimeout(() => {
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles().map((handle) => handle.constructor.name);
  console.error(`still running 10 s after the report (${handles.join(', ')}): exiting`);
  process.exit(0);
}, 10_000).unref();
