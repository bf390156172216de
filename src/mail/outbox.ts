import { randomUUID } from 'node:crypto';
import type { PgBoss, Queue } from 'pg-boss';
import { inTransaction, jobQueue } from '../db/jobs.js';
import type { MessageKind, Prisma } from '../generated/prisma/client.js';
import { logger } from '../http/operations.js';

/** The pg-boss queue of mail jobs: one job per Message row, with the message's id. */
export const mailQueue = 'mail';

export interface MailJob {
  messageId: string;
}

/** Retries: MAIL_RETRY_LIMIT more attempts after the first, from MAIL_RETRY_DELAY_SECONDS doubling up to an hour. */
export const mailQueueOptions: Queue = {
  name: mailQueue,
  retryLimit: Number(process.env.MAIL_RETRY_LIMIT ?? 8),
  retryDelay: Number(process.env.MAIL_RETRY_DELAY_SECONDS ?? 30),
  retryBackoff: true,
  retryDelayMax: 3_600,
  // A job still active after this (its process died while sending) is tried again.
  expireInSeconds: Number(process.env.MAIL_SEND_TIMEOUT_SECONDS ?? 120),
  // Messages keep their own record (Message); pg-boss's finished jobs need not stay long.
  deleteAfterSeconds: 24 * 3_600,
};

/** The job queue with the mail queue in it, started once per process. */
export function mailJobs(): Promise<PgBoss> {
  return jobQueue([mailQueueOptions], (error) => logger.warn('job queue error', error));
}

export interface QueuedMessage {
  registrationId: string;
  kind: MessageKind;
  sessionId?: string;
  scheduleRevision?: number;
  /** Not before this instant (a join link's release time); at once when left out. */
  sendAt?: Date;
}

/**
 * Queues messages inside the transaction `tx` that causes them: the Message rows and their jobs
 * commit with it, or neither exists. `boss` comes from `mailJobs()`, awaited before the
 * transaction began (starting the queue inside it would wait on the transaction's own connection
 * with PGlite).
 */
export async function queueMessages(tx: Prisma.TransactionClient, boss: PgBoss, messages: QueuedMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map(({ sendAt, ...message }) => ({ id: randomUUID(), sendAt, message }));
  await tx.message.createMany({ data: rows.map(({ id, message }) => ({ id, ...message })) });
  // The job's id is the message's: a job can't be queued twice for one message.
  await boss.insert(mailQueue, rows.map(({ id, sendAt }) => ({ id, data: { messageId: id } satisfies MailJob, startAfter: sendAt })), inTransaction(tx));
}
