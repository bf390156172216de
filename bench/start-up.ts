import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, testKeySecret } from '../tests/support/server-process.js';

const agendaQuery = '{ event(slug: "ohchr-remedy-tech-2021") { agenda { date items { title startsAt endsAt } } } }';

/**
 * Milliseconds from spawning `node dist/server.js` (what `npm start` runs) to its first answered
 * agenda query, polled every 10 ms.
 */
async function timeToFirstAgenda(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql?query=${encodeURIComponent(agendaQuery)}`;
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['dist/server.js'], { env: { ...process.env, NODE_ENV: 'production', KEY_SECRET: testKeySecret, ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
      const answered = await fetch(url)
        .then((response) => response.text())
        .then((text) => text.includes('startsAt'))
        .catch(() => false);
      if (answered) return Math.round(performance.now() - startedAt);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

export interface StartUpTimes {
  pgliteFirst: number;
  pgliteSecond: number;
  postgresFirst: number;
  postgresSecond: number;
}

/**
 * First start (a new PGlite folder; an empty PostgreSQL database: migrate and seed) and second
 * start (the same folder or database again), on each database.
 */
export async function startUpTimes(adminUrl: string): Promise<StartUpTimes> {
  const folder = await mkdtemp(join(tmpdir(), 'event-api-bench-start-'));
  const database = 'event_api_bench_start';
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  try {
    const pglite = { DATABASE_URL: '', PGLITE_DIR: join(folder, 'data') };
    const pgliteFirst = await timeToFirstAgenda(pglite);
    const pgliteSecond = await timeToFirstAgenda(pglite);
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${database}`);
    const postgres = { DATABASE_URL: databaseUrl };
    const postgresFirst = await timeToFirstAgenda(postgres);
    const postgresSecond = await timeToFirstAgenda(postgres);
    return { pgliteFirst, pgliteSecond, postgresFirst, postgresSecond };
  } finally {
    await rm(folder, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}
