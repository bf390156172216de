import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { projectPath } from '../project-root.js';

// The schema and migration files as they are on disk: read by the migration engine and by the
// PGlite template's freshness check, which must not open the database to ask.

export const schemaPath = projectPath('prisma', 'schema.prisma');
export const migrationsDir = projectPath('prisma', 'migrations');

export async function readMigrations(): Promise<MigrationList> {
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  const names = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/** Each migration of prisma/migrations by name, with the checksum Prisma records for it (the sha256 of its file). */
export function migrationChecksums(): Record<string, string> {
  const names = readdirSync(migrationsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return Object.fromEntries(names.map((name) => [name, createHash('sha256').update(readFileSync(join(migrationsDir, name, 'migration.sql'))).digest('hex')]));
}
