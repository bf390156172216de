import { randomUUID } from 'node:crypto';
import type { Queue } from 'pg-boss';
import { prisma } from '../db/client.js';
import { inTransaction, jobQueue, type JobQueue } from '../db/jobs.js';
import type { MessageKind, Prisma } from '../generated/prisma/client.js';
import { logger } from '../log.js';
import { joinLinkRoundAt } from '../rules/join-links.js';
import { mayMessage } from '../rules/rate-limits.js';
import { seal, unseal } from '../secrets.js';

/** The pg-boss queue of mail jobs: one job per Message row, with the message's id. */
export const mailQueue = 'mail';

export interface MailJob {
  messageId: string;
}

/**
 * Mail that is late once its time has passed goes ahead of the rest (pg-boss fetches by priority,
 * then age): a join link, due at its release, before any confirmation queued earlier; a schedule
 * change notice next. The others keep their order.
 */
export const mailPriority: Record<MessageKind, number> = {
  JOIN_LINK: 2,
  SCHEDULE_CHANGE: 1,
  CONFIRMATION: 0,
  ADDRESS_IN_USE: 0,
  MANAGE_LINK: 0,
  PROMOTION: 0,
  CANCELLATION: 0,
  APPROVAL_REQUESTED: 0,
  APPROVED: 0,
  DECLINED: 0,
};

const sendTimeoutSeconds = Number(process.env.MAIL_SEND_TIMEOUT_SECONDS ?? 120);

/** Retries: MAIL_RETRY_LIMIT more attempts after the first, from MAIL_RETRY_DELAY_SECONDS doubling up to an hour. */
export const mailQueueOptions: Queue = {
  name: mailQueue,
  retryLimit: Number(process.env.MAIL_RETRY_LIMIT ?? 8),
  retryDelay: Number(process.env.MAIL_RETRY_DELAY_SECONDS ?? 30),
  retryBackoff: true,
  retryDelayMax: 3_600,
  // A job still active after this (its process died while sending) is tried again.
  expireInSeconds: sendTimeoutSeconds,
  // Messages keep their own record (Message); pg-boss's finished jobs need not stay long.
  deleteAfterSeconds: 24 * 3_600,
};

/**
 * A session's round of join-link mails: one pending job per session (`short` policy, keyed by the
 * session), due at the link's release. Moving the session, changing its link or confirming a
 * remote participant after the release moves that one job (`upsert`) instead of adding another.
 */
export const joinLinkQueue = 'join-links';

export interface JoinLinkJob {
  sessionId: string;
}

/**
 * Schedule change notices of an event: one pending job per event (`short`, keyed by the event),
 * pushed back by each change until the schedule has been quiet for SCHEDULE_NOTICE_SETTLE_SECONDS.
 */
export const scheduleNoticeQueue = 'schedule-notices';

export interface ScheduleNoticeJob {
  eventId: string;
}

/**
 * `requestManageLink` calls, each answered at once whatever its address: whether the address is
 * registered is found out here, by the worker, so the answer's timing and SQL can't tell.
 */
export const manageLinkRequestQueue = 'manage-link-requests';

export interface ManageLinkRequestJob {
  eventId: string;
  /** The address, sealed with KEY_SECRET: a job row (kept a day) doesn't show it. */
  sealedEmail: string;
}

export const scheduleNoticeSettleSeconds = Number(process.env.SCHEDULE_NOTICE_SETTLE_SECONDS ?? 300);

// A round only queues Message rows in one transaction; it is retried quickly when that fails.
const roundOptions = { policy: 'short', retryLimit: 10, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 60, deleteAfterSeconds: 24 * 3_600 } as const;

/** The job queue with the mail queues in it, started once per process. */
export function mailJobs(): Promise<JobQueue> {
  return jobQueue(
    [
      mailQueueOptions,
      { name: joinLinkQueue, ...roundOptions },
      { name: scheduleNoticeQueue, ...roundOptions },
      { name: manageLinkRequestQueue, ...roundOptions, policy: 'standard' },
    ],
    (error) => logger.warn('job queue error', error),
    // Jobs of a process that died are taken back within the time a send may take.
    { superviseSeconds: Math.min(60, sendTimeoutSeconds) },
  );
}

export interface QueuedMessage {
  registrationId: string;
  kind: MessageKind;
  sessionId?: string | null;
  joinUrlHash?: string | null;
  scheduleSinceRevision?: number | null;
  scheduleRevision?: number | null;
}

/**
 * Queues messages inside the transaction `tx` that causes them: the Message rows and their jobs
 * commit with it, or neither exists. `boss` comes from `mailJobs()`, awaited before the
 * transaction began (starting the queue inside it would wait on the transaction's own connection
 * with PGlite). Returns the new messages' ids.
 */
export async function queueMessages(tx: Prisma.TransactionClient, boss: JobQueue, messages: QueuedMessage[]): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = messages.map((message) => ({ id: randomUUID(), ...message }));
  // Prisma keeps the plan it compiles for a `create`, not for a `createMany` (it compiles that
  // afresh every time): the one message a registration queues costs less as a `create`.
  if (rows.length === 1) await tx.message.create({ data: rows[0]!, select: { id: true } });
  else await tx.message.createMany({ data: rows });
  // The job's id is the message's: a job can't be queued twice for one message.
  await boss.insert(mailQueue, rows.map(({ id, kind }) => ({ id, data: { messageId: id } satisfies MailJob, priority: mailPriority[kind] })), inTransaction(tx));
  return rows.map((row) => row.id);
}

/** Inside `tx`: a manage link asked for `email` (normalised), to be mailed if it is registered for the event. */
export async function queueManageLinkRequest(tx: Prisma.TransactionClient, boss: JobQueue, eventId: string, email: string): Promise<void> {
  await boss.send(manageLinkRequestQueue, { eventId, sealedEmail: seal(email) } satisfies ManageLinkRequestJob, inTransaction(tx));
}

/**
 * Queues the MANAGE_LINK message of a request, if its address is registered for the event and
 * may be mailed now (MESSAGES_PER_EMAIL). Returns whether it did.
 */
export async function answerManageLinkRequest({ eventId, sealedEmail }: ManageLinkRequestJob, boss: JobQueue): Promise<boolean> {
  const email = unseal(sealedEmail);
  const known = await prisma.registration.findUnique({ where: { eventId_email: { eventId, email } }, select: { id: true } });
  if (!known || !(await mayMessage(email))) return false;
  await prisma.$transaction((tx) => queueMessages(tx, boss, [{ registrationId: known.id, kind: 'MANAGE_LINK' }]));
  return true;
}

export interface SessionWithLink {
  id: string;
  startsAt: Date;
  endsAt: Date;
  zoomJoinUrl: string | null;
  zoomLinkLeadMinutes: number;
}

/**
 * Inside the transaction that creates or moves sessions, changes their links or the event's lead
 * time, or confirms a remote participant after a release: each session's round of join-link
 * mails is due at its (new) release time, or at once.
 */
export async function scheduleJoinLinks(tx: Prisma.TransactionClient, boss: JobQueue, sessions: SessionWithLink[], now: Date): Promise<void> {
  for (const session of sessions) {
    const at = joinLinkRoundAt(session, session.zoomLinkLeadMinutes, now);
    if (at) await boss.upsert(joinLinkQueue, { sessionId: session.id } satisfies JoinLinkJob, { singletonKey: session.id, startAfter: at, ...inTransaction(tx) });
  }
}

/** The event's lead time changed: each of its sessions' join links is released at a new time. */
export async function scheduleJoinLinksOfEvent(tx: Prisma.TransactionClient, boss: JobQueue, event: { id: string; zoomLinkLeadMinutes: number }, now: Date): Promise<void> {
  const sessions = await tx.session.findMany({
    where: { eventId: event.id, zoomJoinUrl: { not: null }, endsAt: { gt: now } },
    select: { id: true, startsAt: true, endsAt: true, zoomJoinUrl: true },
  });
  await scheduleJoinLinks(tx, boss, sessions.map((session) => ({ ...session, zoomLinkLeadMinutes: event.zoomLinkLeadMinutes })), now);
}

/**
 * Inside the transaction that publishes a change registrants are told of: the event's notices
 * go out once the schedule has been quiet for the settling time (`at` to look again sooner or later).
 */
export async function scheduleNotices(tx: Prisma.TransactionClient, boss: JobQueue, eventId: string, at?: Date): Promise<void> {
  await boss.upsert(scheduleNoticeQueue, { eventId } satisfies ScheduleNoticeJob, {
    singletonKey: eventId,
    startAfter: at ?? scheduleNoticeSettleSeconds,
    ...inTransaction(tx),
  });
}
