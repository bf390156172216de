import { rmSync, renameSync, writeFileSync } from 'node:fs';
import { migrationChecksums } from './db/migration-files.js';
import { pgliteTemplate, pgliteTemplateMigrations } from './db/pglite-folder.js';

/**
 * Run by `npm install` after the build: initialises and migrates a PGlite folder once, for new
 * folders to start as its copy. Made beside the template and renamed into place, so a half-made
 * one is never used.
 */
const building = `${pgliteTemplate}-${process.pid}`;
rmSync(building, { recursive: true, force: true });
rmSync(pgliteTemplateMigrations, { force: true });
process.env.PGLITE_DIR = building;
delete process.env.DATABASE_URL;
const { disconnect } = await import('./db/client.js');
const { ensureMigrated } = await import('./db/migrations.js');
await ensureMigrated();
// The job queue's tables too: pg-boss takes seconds to create them on PGlite.
const { mailJobs } = await import('./mail/outbox.js');
const { stopJobQueue } = await import('./db/jobs.js');
await mailJobs();
await stopJobQueue(0);
await disconnect();
rmSync(pgliteTemplate, { recursive: true, force: true });
renameSync(building, pgliteTemplate);
writeFileSync(pgliteTemplateMigrations, JSON.stringify(migrationChecksums(), null, 2));
