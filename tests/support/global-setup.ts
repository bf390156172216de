import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * Builds one migrated and seeded template database; every test file then starts from a copy of
 * it (tests/support/database.ts). PostgreSQL when DATABASE_URL is set, PGlite otherwise.
 */
export default async function setup(project: TestProject) {
  // Server processes that tests start run the build, as `npm start` does.
  const { buildIfStale } = await import('../../scripts/build.mjs');
  await buildIfStale();
  const adminUrl = process.env.DATABASE_URL;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, PGLITE_DIR: process.env.PGLITE_DIR };
  let template: string;
  let cleanup: () => Promise<void>;
  if (adminUrl) {
    template = `event_api_template_${process.pid}`;
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${template}`, `CREATE DATABASE ${template}`);
    process.env.DATABASE_URL = withDatabase(adminUrl, template);
    cleanup = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  } else {
    template = await mkdtemp(join(tmpdir(), 'event-api-template-'));
    process.env.PGLITE_DIR = template;
    cleanup = () => rm(template, { recursive: true, force: true });
  }
  const { disconnect } = await import('../../src/db/client.js');
  const { ensureMigrated } = await import('../../src/db/migrations.js');
  const { importEvent } = await import('../../src/resolvers/event-import.js');
  await ensureMigrated();
  await importEvent(JSON.parse(await readFile('seed/ohchr-remedy-tech-2021.json', 'utf8')));
  // The job queue's tables too, so no test file waits for pg-boss to create them.
  const { mailJobs } = await import('../../src/mail/outbox.js');
  const { stopJobQueue } = await import('../../src/db/jobs.js');
  await mailJobs();
  await stopJobQueue(0);
  await disconnect();
  if (adminUrl) {
    // The schema engine keeps its own connections; a template must have none to be copied.
    await adminQuery(adminUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${template}'`);
  }
  Object.assign(process.env, saved);
  if (!saved.DATABASE_URL) delete process.env.DATABASE_URL;
  if (!saved.PGLITE_DIR) delete process.env.PGLITE_DIR;

  project.provide('databaseTemplate', { adminUrl: adminUrl ?? null, template });
  return cleanup;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(adminUrl: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: { adminUrl: string | null; template: string };
  }
}
