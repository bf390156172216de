import { readFile } from 'node:fs/promises';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine as Engine } from '@prisma/schema-engine-wasm';
import { projectPath } from '../project-root.js';
import { migrationChecksums, readMigrations, schemaPath } from './migration-files.js';

// Prisma's native schema engine can't be downloaded here; its WebAssembly build runs the same
// migration logic through a driver adapter and records `_prisma_migrations` exactly as
// `prisma migrate deploy` does, so both can manage the same database.

// The engine (megabytes of WebAssembly) loads only when there is something to migrate or diff.
let wasmReady: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;
function loadWasm() {
  wasmReady ??= (async () => {
    const engineBindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = projectPath('node_modules', '@prisma', 'schema-engine-wasm', 'schema_engine_bg.wasm');
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': engineBindings as unknown as WebAssembly.ModuleImports });
    engineBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return engineBindings;
  })();
  return wasmReady;
}

async function openEngine(factory: SqlMigrationAwareDriverAdapterFactory): Promise<Engine> {
  const [engineBindings, { bindMigrationAwareSqlAdapterFactory }] = await Promise.all([loadWasm(), import('@prisma/driver-adapter-utils')]);
  const datamodel = await readFile(schemaPath, 'utf8');
  const log = (message: string) => {
    if (process.env.MIGRATE_DEBUG) console.error(message);
  };
  return engineBindings.SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  ) as Promise<Engine>;
}

const noFilters = { externalTables: [], externalEnums: [] };

/** Applies the migrations not yet applied; returns their names. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openEngine(factory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await readMigrations(), filters: noFilters });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that would bring the migrations up to `datamodel` (by default `schema.prisma`), or null
 * when they agree.
 * The migrations are replayed on a throwaway in-memory PGlite, so no server is needed.
 */
export async function pendingSchemaChange(datamodel?: string): Promise<string | null> {
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  const shadow = new PGlite();
  const engine = await openEngine(new PrismaPGlite(shadow));
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrations()) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: datamodel ?? (await readFile(schemaPath, 'utf8')) }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  } finally {
    engine.free();
    await shadow.close();
  }
}

/**
 * Whether `_prisma_migrations` records every migration of prisma/migrations as applied, with the
 * same checksum. Read with one query, so that a start with nothing to migrate doesn't load the
 * engine.
 */
async function everyMigrationApplied(): Promise<boolean> {
  const { prisma } = await import('./client.js');
  const [table] = await prisma.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
  if (!table?.exists) return false;
  const rows = await prisma.$queryRaw<{ migration_name: string; checksum: string }[]>`
    SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
  return Object.entries(migrationChecksums()).every(([name, checksum]) => applied.get(name) === checksum);
}

let migrated: Promise<string[]> | undefined;
/** Applies pending migrations to the configured database, once per process. */
export function ensureMigrated(): Promise<string[]> {
  migrated ??= everyMigrationApplied().then(async (upToDate) => {
    if (upToDate) return [];
    const { adapterFactory } = await import('./client.js');
    return applyMigrations(adapterFactory);
  });
  return migrated;
}
