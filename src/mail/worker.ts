import type Mail from 'nodemailer/lib/mailer/index.js';
import type { JobWithMetadata } from 'pg-boss';
import { prisma } from '../db/client.js';
import type { Message } from '../generated/prisma/client.js';
import { registrationCalendar } from '../http/calendar.js';
import { logger } from '../http/operations.js';
import { createWaitlistPositionLoader } from '../resolvers/registration/loaders.js';
import { manageLinkKey } from '../resolvers/registration/rules.js';
import { contentLanguageFor, translated } from '../translation.js';
import { composeMessage, type MessageView } from './messages.js';
import { mailJobs, mailQueue, type MailJob } from './outbox.js';
import { createDelivery, mailSettings, type Delivery } from './transport.js';

/** MANAGE_URL: the page where registrants manage their registration, with `{token}` where the key goes. */
export function manageUrl(key: string, template = process.env.MANAGE_URL): string | null {
  return template ? template.replaceAll('{token}', encodeURIComponent(key)) : null;
}

/**
 * What the message says, from the data as it is now, with its attachments; null when there is
 * nothing to say any more.
 */
async function viewOf(message: Message, now: Date): Promise<{ view: MessageView; to: Mail.Address; attachments: Mail.Attachment[] } | null> {
  const registration = await prisma.registration.findUnique({
    where: { id: message.registrationId },
    include: {
      event: true,
      sessions: { where: { status: { not: 'CANCELLED' } }, include: { session: true }, orderBy: [{ session: { startsAt: 'asc' } }, { id: 'asc' }] },
    },
  });
  const key = registration && manageLinkKey(registration);
  if (!registration || !key) return null;
  const { event } = registration;
  // Titles in the registrant's language where the event has them, field by field.
  const language = contentLanguageFor(registration.interpretationLanguage, event);
  const titled = <Row extends { title: string; translations: unknown }>(row: Row) => ({ ...row, title: translated(row, 'title', language, event.defaultLanguage).value });
  const positions = createWaitlistPositionLoader();
  const chosen = registration.sessions.filter((choice) => message.kind !== 'PROMOTION' || choice.sessionId === message.sessionId);
  const sessions = await Promise.all(
    chosen.map(async (choice) => ({
      ...titled(choice.session),
      status: choice.status,
      attendanceMode: choice.attendanceMode,
      waitlistPosition: choice.status === 'WAITLISTED' ? await positions.load(choice.id) : null,
    })),
  );
  const attachments: Mail.Attachment[] = [];
  if (message.kind === 'CONFIRMATION') {
    const calendar = await registrationCalendar(registration.id, now);
    if (calendar) attachments.push({ filename: `${event.slug}.ics`, content: calendar.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' });
  }
  return {
    to: { name: registration.name, address: registration.email },
    attachments,
    view: {
      kind: message.kind,
      language: registration.interpretationLanguage,
      name: registration.name,
      event: titled(event),
      manage: { url: manageUrl(key), key },
      sessions,
    },
  };
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
  const content = await viewOf(message, now);
  if (!content) {
    await prisma.message.update({ where: { id: message.id }, data: { status: 'FAILED', lastError: 'nothing to send: the registration is gone' } });
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
  await prisma.message.update({ where: { id: message.id }, data: { attempts: { increment: 1 }, status: 'SENT', sentAt: new Date() } });
  logger.info('mail sent', logged);
}

let running: { delivery: Delivery } | undefined;

/** Works the mail queue in this process (MAIL_CONCURRENCY messages at a time). */
export async function startMailWorker(delivery = createDelivery()): Promise<void> {
  if (running) return;
  running = { delivery };
  const boss = await mailJobs();
  await boss.work(
    mailQueue,
    {
      includeMetadata: true,
      batchSize: 1,
      localConcurrency: Number(process.env.MAIL_CONCURRENCY ?? 2),
      pollingIntervalSeconds: Number(process.env.MAIL_POLL_SECONDS ?? 2),
    },
    async ([job]: JobWithMetadata<MailJob>[]) => {
      if (job) await deliverMessage(job.data.messageId, delivery, job.retryCount >= job.retryLimit);
    },
  );
  logger.info(`mail worker: ${delivery.describe}, from ${mailSettings.from}`);
}

export function stopMailWorker(): void {
  running?.delivery.close();
  running = undefined;
}
