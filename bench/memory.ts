/**
 * npm run bench:memory: what distinct anonymous reads leave in a production server's memory. The
 * server (dist/server.js, its own process, on a new PGlite folder) answers BENCH_READS (default
 * 10,000) GETs of the full agenda, each made distinct by a GraphQL comment, so that each misses
 * every cache and is kept by each: the parsed documents, the response cache, the answers kept
 * before Yoga. Prints the RSS after 200 reads of warm-up and at the end, and the V8 heap in use.
 * BENCH_NODE_OPTIONS is handed to the server (e.g. `--max-old-space-size=200`).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import { EventAgendaDocument } from '../src/client/operations.js';
import { startServer } from '../tests/support/server-process.js';

const reads = Number(process.env.BENCH_READS ?? 10_000);
const folder = await mkdtemp(join(tmpdir(), 'event-api-memory-'));
const metricsToken = 'bench-memory';
const server = await startServer({
  NODE_ENV: 'production',
  DATABASE_URL: '',
  PGLITE_DIR: join(folder, 'pglite'),
  MAIL_DIR: join(folder, 'mail'),
  METRICS_TOKEN: metricsToken,
  LOG_LEVEL: 'warn',
  NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
});

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
async function memory(): Promise<string> {
  const status = await readFile(`/proc/${server.child.pid}/status`, 'utf8');
  const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const heap = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1]);
  return `RSS ${mib(Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024)}, V8 heap in use ${mib(heap)}`;
}

const agenda = print(EventAgendaDocument);
const variables = encodeURIComponent(JSON.stringify({ slug: 'ohchr-remedy-tech-2021' }));
let sent = 0;
async function read(count: number): Promise<void> {
  const last = sent + count;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (sent < last) {
        const query = encodeURIComponent(`${agenda}\n# reader ${(sent += 1)}`);
        const response = await fetch(`${server.url}/graphql?query=${query}&variables=${variables}`, { headers: { accept: 'application/json' } });
        if (response.status !== 200) throw new Error(`read ${sent} answered ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
}

try {
  await read(200);
  console.log(`after 200 reads: ${await memory()}`);
  const startedAt = performance.now();
  await read(reads);
  console.log(`after ${reads} more distinct reads (${Math.round((performance.now() - startedAt) / 1000)} s): ${await memory()}`);
} finally {
  await server.stop();
  await rm(folder, { recursive: true, force: true });
}
