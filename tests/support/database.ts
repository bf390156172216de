import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { adminQuery, withDatabase } from './global-setup.js';

// Runs before each test file's imports: points the database module at a fresh copy of the
// seeded template, so files never see each other's writes.
const { adminUrl, template } = inject('databaseTemplate');
if (adminUrl) {
  const database = `event_api_test_${process.pid}_${Date.now()}`;
  // PostgreSQL copies a template for one CREATE DATABASE at a time: workers take turns.
  await adminQuery(adminUrl, 'SELECT pg_advisory_lock(4015)', `CREATE DATABASE ${database} TEMPLATE ${template}`);
  process.env.DATABASE_URL = withDatabase(adminUrl, database);
  afterAll(async () => {
    const { disconnect } = await import('../../src/db/client.js');
    const { stopJobQueue } = await import('../../src/db/jobs.js');
    await stopJobQueue(0);
    await disconnect();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });
} else {
  const dir = await mkdtemp(join(tmpdir(), 'event-api-test-'));
  await cp(template, dir, { recursive: true });
  process.env.PGLITE_DIR = dir;
  afterAll(async () => {
    const { disconnect } = await import('../../src/db/client.js');
    const { stopJobQueue } = await import('../../src/db/jobs.js');
    await stopJobQueue(0);
    await disconnect();
  });
}
