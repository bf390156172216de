import { PgBoss, fromPglite, fromPrisma, type ConnectionOptions, type Queue } from 'pg-boss';
import type { Prisma } from '../generated/prisma/client.js';
import { jobQueueConnection } from './client.js';

/**
 * The durable job queue (pg-boss), in the same database as the data: a job sent with
 * `inTransaction(tx)` commits or rolls back with the change that caused it. On PostgreSQL it has
 * its own small pool; on PGlite it shares the one connection.
 */
export type JobQueue = PgBoss;

const schema = 'pgboss';
let started: Promise<PgBoss> | undefined;
let opened: PgBoss | undefined;

/**
 * The queue, started once per process (pg-boss creates or migrates its tables, then keeps its
 * maintenance running), with `queues` created or brought up to their options. `onError` hears what
 * pg-boss reports in the background.
 */
export function jobQueue(queues: Queue[], onError: (error: Error) => void, { superviseSeconds = 60 } = {}): Promise<PgBoss> {
  started ??= (async () => {
    const connection = jobQueueConnection();
    // How often jobs whose process died while working them (past their expireInSeconds) are taken
    // back: pg-boss expires jobs in its monitor pass, which runs at the slower of the two intervals.
    const maintenance = { superviseIntervalSeconds: superviseSeconds, monitorIntervalSeconds: superviseSeconds };
    const boss =
      'pglite' in connection
        ? new PgBoss({ db: fromPglite(connection.pglite), backend: 'pglite', schema, ...maintenance })
        : new PgBoss({ connectionString: connection.connectionString, max: Number(process.env.JOB_QUEUE_POOL_SIZE ?? 4), schema, ...maintenance });
    boss.on('error', onError);
    await boss.start();
    opened = boss;
    for (const { name, policy, ...options } of queues) {
      await boss.createQueue(name, { policy, ...options });
      // A queue's policy is fixed when it is created; the rest follows the options.
      await boss.updateQueue(name, options);
    }
    return boss;
  })();
  return started;
}

/** pg-boss calls given these options run in the Prisma transaction `tx`. */
export function inTransaction(tx: Prisma.TransactionClient): Required<ConnectionOptions> {
  return { db: fromPrisma(tx) };
}

/** Stops the workers, letting jobs in hand finish for up to `graceMs`, and closes the queue's pool. */
export async function stopJobQueue(graceMs = 10_000): Promise<void> {
  if (!opened) return;
  await opened.stop({ graceful: true, timeout: graceMs, close: true });
  opened = undefined;
  started = undefined;
}
