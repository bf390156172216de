import { prisma } from '../db/client.js';
import { hashSecret, sameSecret, signWithKeySecret } from '../secrets.js';

// The keys a registrant holds besides the manage token: a mailed manage link's and the calendar feed's.

/**
 * The key of a registrant's read-only calendar feed: it shows their sessions and released join
 * links but can't change anything, unlike the manage token, so calendar services may hold it. It
 * is derived from the stored token hash and KEY_SECRET, so a new manage token (or a new secret)
 * retires the old feed link, and the database alone doesn't give it.
 */
export function calendarFeedKey(registration: { id: string; manageTokenHash: string | null }): string | null {
  return registration.manageTokenHash ? `${registration.id}.${signWithKeySecret(registration.manageTokenHash, 'calendar feed')}` : null;
}

/**
 * The key a mailed manage link carries: it opens the registration like the manage token, but is
 * derived from the stored token hash and KEY_SECRET, so a mail can be sent at any time without the
 * token ever being stored. A new manage token, or a new secret, retires it, as it does the feed.
 */
export function manageLinkKey(registration: { id: string; manageTokenHash: string | null }): string | null {
  return registration.manageTokenHash ? `${registration.id}.${signWithKeySecret(registration.manageTokenHash, 'manage link')}` : null;
}

/** Keys derived from a registration's token hash have this shape; manage tokens start `reg_`. */
export const derivedKeyShape = /^([0-9a-f-]{36})\.[\w-]{43}$/;

/** The registration (id and token hash) a key derived with `derive` opens, or null. */
async function registrationForDerivedKey(key: string, derive: typeof calendarFeedKey) {
  const id = derivedKeyShape.exec(key)?.[1];
  const registration = id ? await prisma.registration.findUnique({ where: { id }, select: { id: true, manageTokenHash: true } }) : null;
  const expected = registration && derive(registration);
  return expected && sameSecret(expected, key) ? registration : null;
}

/** The registration whose calendar feed key this is, or null. */
export async function registrationIdForFeedKey(key: string): Promise<string | null> {
  return (await registrationForDerivedKey(key, calendarFeedKey))?.id ?? null;
}

/**
 * The stored hash that a manage token, or a mailed manage link's key, stands for: look
 * registrations up by it. A key that opens nothing gives a hash no registration has.
 */
export async function manageTokenHashFor(tokenOrKey: string): Promise<string> {
  if (!derivedKeyShape.test(tokenOrKey)) return hashSecret(tokenOrKey);
  return (await registrationForDerivedKey(tokenOrKey, manageLinkKey))?.manageTokenHash ?? hashSecret(tokenOrKey);
}
