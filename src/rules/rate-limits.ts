import { createHash } from 'node:crypto';
import { hit } from '../db/counters.js';

// Rate limits that are domain decisions (who may be mailed, how often manage links are asked),
// as opposed to the per-request HTTP limits of src/http/limits.ts.

/** Messages to one email address in 15 minutes (MESSAGES_PER_EMAIL). */
const messagesPerEmail = Number(process.env.MESSAGES_PER_EMAIL ?? 5);
/** `requestManageLink` calls for one event in 15 minutes, whatever the address (MANAGE_LINKS_PER_EVENT). */
const manageLinksPerEvent = Number(process.env.MANAGE_LINKS_PER_EVENT ?? 100);

/**
 * Whether a message may be sent to `email` now: at most MESSAGES_PER_EMAIL in 15 minutes, so
 * nobody can flood an inbox through the API. It only holds mail back: a request that would send
 * more is answered exactly as any other, so its caller learns nothing about the address and
 * can't lock its owner out.
 */
export async function mayMessage(email: string): Promise<boolean> {
  const key = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
  return (await hit(`email:${key}`)) <= messagesPerEmail;
}

/**
 * Whether `requestManageLink` may run for this event now: at most MANAGE_LINKS_PER_EVENT in 15
 * minutes, counted for every request whatever its address (known or not), so the limit tells
 * nothing about who is registered while keeping anyone from mailing the registrants in bulk.
 */
export async function mayRequestManageLink(eventId: string): Promise<boolean> {
  return (await hit(`manage-links:${eventId}`)) <= manageLinksPerEvent;
}
