import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { LongKeyCache } from '../long-key-cache.js';
import { auditedAdapterFactory } from './audit.js';
import { preparePgliteFolder } from './pglite-folder.js';

/**
 * The one place that knows which database runs: PostgreSQL when DATABASE_URL is set, otherwise
 * PGlite (Postgres in WebAssembly) with its data in PGLITE_DIR.
 */
/** Where the job queue (src/db/jobs.ts) keeps its tables: the same database as everything else. */
export type JobQueueConnection = { pglite: PGlite } | { connectionString: string };

/**
 * A prepared statement's name: the hash of its SQL, worked out once per text rather than at every
 * query (a registration runs a dozen). Prisma writes the texts, one per query shape and list length.
 */
const statementNames = new LongKeyCache<string>({ max: 2_000 });
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `prisma_${createHash('sha256').update(sql).digest('base64url')}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * A migration's script sent whole, as Prisma's own engine sends it: adapter-pg splits a script at
 * every `;`, which cuts a trigger function's body (`$$ … ; … $$`) apart. PostgreSQL's simple
 * query protocol runs the statements of one string in order.
 */
function wholeScripts(factory: SqlMigrationAwareDriverAdapterFactory, url: string): SqlMigrationAwareDriverAdapterFactory {
  const runWhole = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, property) {
        if (property === 'executeScript') {
          return async (script: string) => {
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            try {
              await client.query(script);
            } finally {
              await client.end();
            }
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => runWhole(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

function createAdapterFactory(): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** The same, for the schema engine applying migrations. */
  migrations: SqlMigrationAwareDriverAdapterFactory;
  describe: string;
  jobQueue: () => JobQueueConnection;
  close: () => Promise<void>;
} {
  const url = process.env.DATABASE_URL;
  if (url) {
    const factory = new PrismaPg(
      // A connection is replaced after 10,000 queries, which bounds the statements it keeps
      // prepared (a list filter prepares one per list length).
      { connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), maxUses: 10_000 },
      // Named statements are prepared once per connection: later runs send no SQL text and skip
      // PostgreSQL's parsing and planning.
      { statementNameGenerator: ({ sql }) => statementName(sql) },
    );
    return { factory, migrations: wholeScripts(factory, url), describe: `PostgreSQL ${new URL(url).host}${new URL(url).pathname}`, jobQueue: () => ({ connectionString: url }), close: async () => {} };
  }
  const dir = process.env.PGLITE_DIR ?? '.data/pglite';
  // The PGlite adapter reads timestamps as the process's local time: with TZ other than UTC every
  // instant would shift. Nothing here depends on the process's zone (times are rendered with the
  // event's zone explicitly), so pin it.
  process.env.TZ = 'UTC';
  // Opened on first use, so importing the schema (codegen, tests of pure functions) touches no data.
  let pglite: PGlite | undefined;
  let opened: PrismaPGlite | undefined;
  const open = () => {
    if (!opened) {
      if (!dir.includes('://')) preparePgliteFolder(dir);
      // PGlite's default of 128 MB of shared buffers costs about half a second of every open to
      // set up (measured against 32 MB); 32 MB still holds the API's data (about 1 MB seeded)
      // many times over.
      pglite = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'] });
      opened = new PrismaPGlite(pglite);
    }
    return opened;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: 'pglite-prisma-adapter',
    connect: () => open().connect(),
    connectToShadowDb: () => open().connectToShadowDb(),
  };
  // PGlite has one connection: the job queue shares it (and its one-query-at-a-time turn).
  const jobQueue = () => {
    open();
    return { pglite: pglite! };
  };
  return { factory, migrations: factory, describe: `PGlite ${dir}`, jobQueue, close: async () => pglite?.close() };
}

const adapter = createAdapterFactory();

type SqlListener = (sql: string) => void;
const sqlListeners = new Set<SqlListener>();

// Prisma serialises every statement's parameters for a query event, a cost that shows in the
// profiles of busy requests: only tests, which read the statement log, ask for the events.
const statementLog = process.env.NODE_ENV === 'test';

export const prisma = new PrismaClient({
  // Each transaction says who acts, for the audit log's triggers.
  adapter: auditedAdapterFactory(adapter.factory),
  log: statementLog ? [{ emit: 'event', level: 'query' }] : [],
});
if (statementLog) {
  (prisma as PrismaClient<'query'>).$on('query', (event) => {
    for (const listener of sqlListeners) listener(event.query);
  });
}

/**
 * Calls `listener` with every SQL statement Prisma sends until the returned function is called.
 * Under NODE_ENV=test only: elsewhere Prisma reports no statements.
 */
export function onSqlStatement(listener: SqlListener): () => void {
  if (!statementLog) throw new Error('the SQL statement log is kept under NODE_ENV=test only');
  sqlListeners.add(listener);
  return () => sqlListeners.delete(listener);
}

/** The driver adapter factory, for the schema engine that applies migrations to the same database. */
export const adapterFactory = adapter.migrations;
export const databaseDescription = adapter.describe;
export const jobQueueConnection = adapter.jobQueue;

export async function disconnect(): Promise<void> {
  await prisma.$disconnect();
  await adapter.close();
}
