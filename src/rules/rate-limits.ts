import { createHash } from 'node:crypto';
import { hit } from '../db/counters.js';

// Rate limits that are domain decisions (who may be mailed),
// as opposed to the per-request HTTP limits of src/http/limits.ts.

/** Messages to one email address in 15 minutes (MESSAGES_PER_EMAIL). */
const messagesPerEmail = Number(process.env.MESSAGES_PER_EMAIL ?? 5);

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
