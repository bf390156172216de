import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Job, JobResult, JobWithMetadata } from 'pg-boss';
import { Histogram } from 'prom-client';
import { prisma } from '../db/client.js';
import type { Message } from '../generated/prisma/client.js';
import { feedPaths, registrationCalendar } from '../formats/calendar.js';
import { logger } from '../log.js';
import { createWaitlistPositionLoader } from '../rules/seats.js';
import { publicUrl } from '../public-url.js';
import { joinLinkDue, joinUrlHash, releaseZoomLinkAt, zoomLinkFor } from '../rules/join-links.js';
import { reviewMessageDue, scheduleNoticeFor } from '../rules/messages.js';
import { calendarFeedKey, manageLinkKey } from '../rules/registrant-keys.js';
import { contentLanguageFor, translated } from '../rules/translation.js';
import { composeMessage, type MessageView } from './messages.js';
import { sendJoinLinks, scheduleComingJoinLinks } from './join-links.js';
import {
  answerManageLinkRequest,
  joinLinkQueue,
  mailJobs,
  mailQueue,
  manageLinkRequestQueue,
  scheduleNoticeQueue,
  type JoinLinkJob,
  type MailJob,
  type ManageLinkRequestJob,
  type ScheduleNoticeJob,
} from './outbox.js';
import { sendScheduleNotices } from './schedule-notices.js';
import { createDelivery, mailConcurrency, mailSettings, type Delivery } from './transport.js';

/** MANAGE_URL: the page where registrants manage their registration, with `{token}` where the key goes. */
export function manageUrl(key: string, template = process.env.MANAGE_URL): string | null {
  return template ? template.replaceAll('{token}', encodeURIComponent(key)) : null;
}

/** What a message says, to whom, and since when it is due (its lag is counted from then). */
type Content = { view: MessageView; to: string; attachments: Mail.Attachment[]; due: Date } | { withdrawn: string };

/**
 * Seconds from a message being due to its being accepted by the mail server, by kind (a closed
 * set): how far the queue is behind. Each process counts what it sent; Prometheus adds them up.
 */
const sendingLag = new Histogram({
  name: 'mail_sending_lag_seconds',
  help: 'Seconds from a message being due (queued; a join link: released, or the registrant confirmed if later) to its being sent',
  labelNames: ['kind'] as const,
  buckets: [1, 2, 5, 10, 30, 60, 120, 300, 900, 3_600],
});

/**
 * What the message says, from the data as it is now, with its attachments; or why it is no longer
 * due (the same rules that queued it, asked again): a promotion whose seat is gone, a join link
 * for someone no longer confirmed online or for a link since changed, a notice about sessions the
 * registrant no longer holds.
 */
async function contentOf(message: Message, now: Date): Promise<Content> {
  const registration = await prisma.registration.findUnique({
    where: { id: message.registrationId },
    include: {
      event: true,
      sessions: { where: { status: { not: 'CANCELLED' } }, include: { session: true }, orderBy: [{ session: { startsAt: 'asc' } }, { id: 'asc' }] },
    },
  });
  const key = registration && manageLinkKey(registration);
  if (!registration || !key) return { withdrawn: 'the registration has no manage token any more' };
  const { event } = registration;
  if (!reviewMessageDue(message.kind, registration.approval)) return { withdrawn: 'the request was reviewed otherwise since' };
  // Titles in the registrant's language where the event has them, field by field.
  const language = contentLanguageFor(registration.interpretationLanguage, event);
  const titled = <Row extends { title: string; translations: unknown }>(row: Row) => {
    const { value, language: lang } = translated(row, 'title', language, event.defaultLanguage);
    return { ...row, title: { text: value, lang } };
  };
  const view: MessageView = {
    kind: message.kind,
    language: registration.interpretationLanguage,
    event: titled(event),
    manage: { url: manageUrl(key), key },
    sessions: [],
  };
  // The address alone: a display name would be text the registrant, whoever they are, typed.
  const content = { view, to: registration.email, attachments: [] as Mail.Attachment[], due: message.createdAt };
  const choice = registration.sessions.find((held) => held.sessionId === message.sessionId);

  if (message.kind === 'CONFIRMATION' || message.kind === 'PROMOTION' || message.kind === 'APPROVAL_REQUESTED' || message.kind === 'APPROVED') {
    const chosen = message.kind !== 'PROMOTION' ? registration.sessions : choice?.status === 'CONFIRMED' ? [choice] : [];
    if (chosen.length === 0) return { withdrawn: message.kind === 'PROMOTION' ? 'the seat is no longer the registrant\'s' : 'the registration was cancelled before its confirmation went out' };
    const positions = createWaitlistPositionLoader();
    view.sessions = await Promise.all(
      chosen.map(async (held) => ({
        ...titled(held.session),
        status: held.status,
        attendanceMode: held.attendanceMode,
        waitlistPosition: held.status === 'WAITLISTED' ? await positions.load(held.id) : null,
        joinLinkAt: zoomLinkFor(held, held.session, event.zoomLinkLeadMinutes, now)?.releaseZoomLinkAt ?? null,
      })),
    );
  }
  if (message.kind === 'APPROVED' && event.approvalInstructions) {
    const { value, language: lang } = translated(event, 'approvalInstructions', language, event.defaultLanguage);
    view.approvalInstructions = { text: value!, lang };
  }
  if (message.kind === 'DECLINED') view.declineReason = registration.declineReason;
  if (message.kind === 'CONFIRMATION') {
    const calendar = await registrationCalendar(registration.id, now);
    view.calendarUrl = publicUrl(feedPaths.registration(calendarFeedKey(registration)!)).href;
    if (calendar) content.attachments.push({ filename: `${event.slug}.ics`, content: calendar.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' });
  }
  if (message.kind === 'JOIN_LINK') {
    const url = choice && joinLinkDue({ ...choice, registrationCancelled: registration.cancelledAt !== null, approval: registration.approval }, choice.session, event.zoomLinkLeadMinutes, now);
    if (!url) return { withdrawn: 'the registrant is no longer a confirmed remote participant of a session to come' };
    // A copy an admin asked for carries no hash: it sends the link as it is.
    if (message.joinUrlHash && message.joinUrlHash !== joinUrlHash(url)) return { withdrawn: 'the join link changed since: the new one has its own message' };
    view.join = { session: titled(choice.session), url };
    // Due at the release, or when the registrant was confirmed after it; never after it was queued.
    const entitled = Math.max(releaseZoomLinkAt(choice.session, event.zoomLinkLeadMinutes).getTime(), choice.statusChangedAt.getTime());
    content.due = new Date(Math.min(entitled, message.createdAt.getTime()));
  }
  if (message.kind === 'SCHEDULE_CHANGE') {
    const changes = await prisma.scheduleChange.findMany({
      where: { eventId: event.id, revision: { gt: message.scheduleSinceRevision ?? 0, lte: message.scheduleRevision ?? 0 } },
      select: { kind: true, sessionId: true, fields: true, changedAt: true },
    });
    const held = registration.cancelledAt ? [] : registration.sessions.map((row) => ({ sessionId: row.sessionId, chosenAt: row.createdAt, endsAt: row.session.endsAt }));
    const notice = scheduleNoticeFor(changes, held, now);
    if (notice.length === 0) return { withdrawn: 'none of the changes concern sessions the registrant still holds' };
    view.changes = notice.map(({ sessionId, fields }) => {
      const { session } = registration.sessions.find((row) => row.sessionId === sessionId)!;
      const shown = titled(session);
      return { kind: 'CHANGED', session: shown, sessionNumber: session.number, title: shown.title, fields };
    });
  }
  return content;
}

/** A mail server's refusal (5xx) won't change on a retry; a lost connection or a 4xx may. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500;
}

/** The reason kept for admins: the server's first line, bounded. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 500);
}

/**
 * Sends one queued message and records the outcome on it. A failure that a retry may cure is
 * thrown back to pg-boss, which tries again with backoff; a permanent one, or the last attempt,
 * leaves the message FAILED with the reason. A message already SENT is not sent again.
 */
export async function deliverMessage(messageId: string, delivery: Delivery, lastAttempt: boolean, now = new Date()): Promise<void> {
  const message = await prisma.message.findUnique({ where: { id: messageId } });
  if (!message || message.status !== 'QUEUED') return;
  const content = await contentOf(message, now);
  if ('withdrawn' in content) {
    await prisma.message.update({ where: { id: message.id }, data: { status: 'WITHDRAWN', lastError: `not sent: ${content.withdrawn}` } });
    logger.info('mail withdrawn', { messageId: message.id, kind: message.kind });
    return;
  }
  const composed = composeMessage(content.view);
  // Logged by id and kind only: no address, body, link or token.
  const logged = { messageId: message.id, kind: message.kind, attempt: message.attempts + 1 };
  try {
    await delivery.send({ to: content.to, ...composed, attachments: content.attachments });
  } catch (error) {
    const final = lastAttempt || isPermanent(error);
    await prisma.message.update({
      where: { id: message.id },
      data: { attempts: { increment: 1 }, lastError: reasonOf(error), status: final ? 'FAILED' : 'QUEUED' },
    });
    const code = (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code;
    logger.warn(final ? 'mail failed' : 'mail not sent yet, will retry', { ...logged, code });
    if (!final) throw new Error(`mail ${message.id} not sent (${code ?? 'error'})`);
    return;
  }
  const sentAt = new Date();
  await prisma.message.update({ where: { id: message.id }, data: { attempts: { increment: 1 }, status: 'SENT', sentAt } });
  sendingLag.observe({ kind: message.kind }, Math.max(0, (sentAt.getTime() - content.due.getTime()) / 1000));
  logger.info('mail sent', logged);
}

let running: { delivery: Delivery } | undefined;

/** One job's outcome: a message to try again is failed back to pg-boss, which retries it with backoff. */
async function settle(job: JobWithMetadata<MailJob>, delivery: Delivery): Promise<JobResult> {
  try {
    await deliverMessage(job.data.messageId, delivery, job.retryCount >= job.retryLimit);
    return { id: job.id, status: 'completed' };
  } catch (error) {
    return { id: job.id, status: 'failed', output: { message: reasonOf(error) } };
  }
}

/**
 * Works the mail queue in this process, MAIL_CONCURRENCY messages at a time over as many SMTP
 * connections: two fetchers (one fetches while the other's batch is sent) of half as many each,
 * fetching again at once after a full batch, so a backlog is worked as fast as the server takes
 * it; priorities (`mailPriority`) put join links and notices ahead of what waits.
 */
export async function startMailWorker(delivery = createDelivery()): Promise<void> {
  if (running) return;
  running = { delivery };
  const boss = await mailJobs();
  const pollingIntervalSeconds = Number(process.env.MAIL_POLL_SECONDS ?? 2);
  const fetchers = mailConcurrency >= 4 ? 2 : 1;
  await boss.work(
    mailQueue,
    {
      includeMetadata: true,
      perJobResults: true,
      localConcurrency: fetchers,
      batchSize: Math.ceil(mailConcurrency / fetchers),
      burstWhenBatchFull: true,
      pollingIntervalSeconds,
    },
    (jobs: JobWithMetadata<MailJob>[]) => Promise.all(jobs.map((job) => settle(job, delivery))),
  );
  // Rounds only queue messages: one at a time per process is plenty.
  await boss.work(joinLinkQueue, { batchSize: 1, pollingIntervalSeconds }, async ([job]: Job<JoinLinkJob>[]) => {
    if (!job) return;
    const queued = await sendJoinLinks(job.data.sessionId, boss);
    if (queued) logger.info('join links queued', { sessionId: job.data.sessionId, messages: queued });
  });
  await boss.work(scheduleNoticeQueue, { batchSize: 1, pollingIntervalSeconds }, async ([job]: Job<ScheduleNoticeJob>[]) => {
    if (!job) return;
    const queued = await sendScheduleNotices(job.data.eventId, boss);
    if (queued) logger.info('schedule change notices queued', { eventId: job.data.eventId, messages: queued });
  });
  await boss.work(manageLinkRequestQueue, { batchSize: 1, pollingIntervalSeconds }, async ([job]: Job<ManageLinkRequestJob>[]) => {
    if (job && (await answerManageLinkRequest(job.data, boss))) logger.info('manage link queued', { eventId: job.data.eventId });
  });
  await scheduleComingJoinLinks(boss);
  logger.info(`mail worker: ${delivery.describe}, from ${mailSettings.from}`);
}

export function stopMailWorker(): void {
  running?.delivery.close();
  running = undefined;
}
