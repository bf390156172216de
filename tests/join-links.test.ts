import { decodeGlobalID } from '@pothos/plugin-relay';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.MAIL_POLL_SECONDS = '0.5';
  process.env.MAIL_RETRY_DELAY_SECONDS = '1';
  process.env.MAIL_RETRY_LIMIT = '5';
  process.env.ADMIN_SECRET = 'join-links-admin-secret';
});

import { CancelRegistrationDocument, RegisterForEventDocument, UpdateSessionDocument, type RegisterForEventInput } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { sendJoinLinks } from '../src/mail/join-links.js';
import { mailJobs } from '../src/mail/outbox.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { type EventImport } from '../src/rules/event-file.js';
import { apiClient } from './support/api.js';
import { sessionIdsOf, startInboxAndWorker } from './support/mail.js';
import { sentTo, type Inbox } from './support/smtp.js';

const client = apiClient();
const asAdmin = apiClient({ authorization: 'Bearer join-links-admin-secret' });
const slug = 'join-links';
const minute = 60_000;
let inbox: Inbox;
/** Sessions 1 to 3 by number: their global IDs. */
let sessionIds: Record<number, string>;
const t0 = Date.now();
/** Join links are released an hour before a session; session 1's is released this long after the test starts. */
const firstRelease = new Date(t0 + 20_000);
const at = (ms: number) => new Date(t0 + ms).toISOString();

const file: EventImport = {
  event: {
    slug,
    title: 'Online consultation',
    organizer: 'OHCHR',
    status: 'CONFIRMED',
    startsAt: at(60 * minute),
    endsAt: at(10 * 60 * minute),
    timeZone: 'Europe/Zurich',
    format: 'HYBRID',
    interpretationLanguages: ['en', 'es', 'fr'],
    zoomLinkLeadMinutes: 60,
    sessions: [
      // Released 20 s from now.
      { number: 1, title: 'First', startsAt: at(60 * minute + 20_000), endsAt: at(3 * 60 * minute), zoomJoinUrl: 'https://zoom.example/j/1001', remoteSeats: 4 },
      // Released in an hour, until moved earlier.
      { number: 2, title: 'Second', startsAt: at(2 * 60 * minute), endsAt: at(4 * 60 * minute), zoomJoinUrl: 'https://zoom.example/j/2002' },
      // Released 24 s from now, until moved later.
      { number: 3, title: 'Third', startsAt: at(60 * minute + 24_000), endsAt: at(5 * 60 * minute), zoomJoinUrl: 'https://zoom.example/j/3003' },
    ],
  },
};

const isJoinLink = (mail: ParsedMail) => mail.subject!.startsWith('Join link') || mail.subject!.startsWith('Enlace para');
const joinLinksTo = (email: string) => inbox.to(email).filter(isJoinLink);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function register(name: string, overrides: Partial<RegisterForEventInput> = {}) {
  const email = `${name.toLowerCase()}-${t0}@example.org`;
  const { registerForEvent } = await client.request(RegisterForEventDocument, {
    input: { eventSlug: slug, name, email, attendanceMode: 'REMOTE', sessionIds: [sessionIds[1]!], consent: true, ...overrides },
  });
  if (registerForEvent.__typename !== 'RegisterForEventPayload') throw new Error(`refused: ${JSON.stringify(registerForEvent)}`);
  return { email, manageToken: registerForEvent.manageToken!, status: registerForEvent.registration!.sessions[0]!.status };
}

beforeAll(async () => {
  await importEvent(file);
  sessionIds = await sessionIdsOf(slug);
  inbox = await startInboxAndWorker();
});

afterAll(async () => {
  await inbox.close();
});

describe('join links', () => {
  let people: Record<string, Awaited<ReturnType<typeof register>>>;

  it('go out at the release time, not before, to confirmed remote participants only, each link once', async () => {
    people = {
      ana: await register('Ana'),
      bo: await register('Bo', { interpretationLanguage: 'es' }),
      eve: await register('Eve'),
      hana: await register('Hana'),
      di: await register('Di'),
      flo: await register('Flo'),
      jo: await register('Jo'),
      cy: await register('Cy', { attendanceMode: 'IN_PERSON' }),
      ivy: await register('Ivy', { sessionIds: [sessionIds[2]!, sessionIds[3]!] }),
    };
    expect(Object.fromEntries(Object.entries(people).map(([name, person]) => [name, person.status]))).toMatchObject({ ana: 'CONFIRMED', di: 'WAITLISTED', flo: 'WAITLISTED', jo: 'WAITLISTED', cy: 'CONFIRMED' });
    // Eve cancels before the release: her seat goes to Di, the first waiting, who gets the link instead.
    await client.request(CancelRegistrationDocument, { input: { manageToken: people.eve!.manageToken } });
    // Session 2 moves earlier (released 28 s from the start), session 3 later (released an hour later than planned).
    await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[2]!, startsAt: at(60 * minute + 28_000) } });
    await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[3]!, startsAt: at(2 * 60 * minute + 24_000) } });
    for (const person of Object.values(people)) await inbox.waitFor(sentTo(person.email));
    // Hana's server defers her mail from now on; she cancels once her join link has been tried.
    inbox.refuse((address) => (address === people.hana!.email ? '451 4.2.0 mailbox busy, try later' : null));

    // Everything above happened before the release, or the test proves nothing.
    expect(Date.now()).toBeLessThan(firstRelease.getTime() - 1_000);
    await wait(firstRelease.getTime() - 300 - Date.now());
    expect(inbox.mail.filter(isJoinLink)).toEqual([]);

    const [ana, bo, di] = await Promise.all(['ana', 'bo', 'di'].map((name) => inbox.waitFor((mail) => sentTo(people[name]!.email)(mail) && isJoinLink(mail))));
    for (const mail of [ana!, bo!, di!]) expect(inbox.receivedAt(mail).getTime()).toBeGreaterThanOrEqual(firstRelease.getTime());
    expect(ana!.subject).toBe('Join link for Session 1: Online consultation');
    expect(ana!.text).toContain('https://zoom.example/j/1001');
    expect(ana!.text).toMatch(/Session 1: First \(.+, Europe\/Zurich \(Central European .+ Time\)\)/);
    expect(ana!.html).toContain('<a href="https://zoom.example/j/1001">');
    expect(bo!.subject).toBe('Enlace para la sesión 1: Online consultation');
    expect(bo!.text).toContain('Unirse en línea:\nhttps://zoom.example/j/1001');

    // Hana's message waits for a retry: she cancels, and the worker, asking again, withdraws it.
    const hanaMessage = () => prisma.message.findFirst({ where: { kind: 'JOIN_LINK', registration: { email: people.hana!.email } } });
    await vi.waitUntil(async () => ((await hanaMessage())?.attempts ?? 0) >= 1, { timeout: 20_000, interval: 200 });
    const cancelledAt = Date.now();
    await client.request(CancelRegistrationDocument, { input: { manageToken: people.hana!.manageToken } });
    inbox.refuse(null);
    await vi.waitUntil(async () => (await hanaMessage())?.status === 'WITHDRAWN', { timeout: 20_000, interval: 200 });
    expect((await hanaMessage())!.lastError).toMatch(/^not sent: /);
    await inbox.waitFor((mail) => sentTo(people.hana!.email)(mail) && mail.subject!.startsWith('Registration cancelled'));
    // Her seat goes to Flo, confirmed after the release: the link follows at once.
    const flo = await inbox.waitFor((mail) => sentTo(people.flo!.email)(mail) && isJoinLink(mail));
    expect(inbox.receivedAt(flo).getTime()).toBeGreaterThanOrEqual(cancelledAt);

    await wait(1_500);
    for (const name of ['jo', 'cy', 'eve', 'hana']) expect(joinLinksTo(people[name]!.email)).toEqual([]);
    for (const name of ['ana', 'bo', 'di', 'flo']) expect(joinLinksTo(people[name]!.email)).toHaveLength(1);
    // Another round of the same link finds everyone served.
    expect(await sendJoinLinks(decodeGlobalID(sessionIds[1]!).id, await mailJobs())).toBe(0);
  });

  it('follow the session when it moves: the new release time, earlier or later', async () => {
    const ivy = people.ivy!.email;
    const second = await inbox.waitFor((mail) => sentTo(ivy)(mail) && isJoinLink(mail) && mail.text!.includes('https://zoom.example/j/2002'));
    expect(inbox.receivedAt(second).getTime()).toBeGreaterThanOrEqual(t0 + 28_000);
    // Session 3 was to be released 24 s from the start before it moved an hour later.
    await wait(t0 + 24_000 + 2_000 - Date.now());
    expect(joinLinksTo(ivy).map((mail) => mail.subject)).toEqual(['Join link for Session 2: Online consultation']);
  });

  it('go again, once, when the organiser changes the link, and at once to anyone confirmed after the release', async () => {
    const changed = await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[1]!, zoomJoinUrl: 'https://zoom.example/j/1009' } });
    expect(changed.updateSession.__typename).toBe('SessionPayload');
    for (const name of ['ana', 'bo', 'di', 'flo']) {
      await inbox.waitFor((mail) => sentTo(people[name]!.email)(mail) && isJoinLink(mail) && mail.text!.includes('https://zoom.example/j/1009'));
    }
    // Two more seats: Jo, waiting, is promoted; Gus registers after the release.
    await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[1]!, remoteSeats: 6 } });
    const gus = await register('Gus');
    expect(gus.status).toBe('CONFIRMED');
    for (const email of [people.jo!.email, gus.email]) {
      const mail = await inbox.waitFor((parsed) => sentTo(email)(parsed) && isJoinLink(parsed));
      expect(mail.text).toContain('https://zoom.example/j/1009');
    }
    await wait(1_500);
    const linksIn = (email: string) => joinLinksTo(email).map((mail) => /https:\/\/zoom\.example\/j\/\d+/.exec(mail.text!)![0]);
    for (const name of ['ana', 'bo', 'di', 'flo']) expect(linksIn(people[name]!.email)).toEqual(['https://zoom.example/j/1001', 'https://zoom.example/j/1009']);
    expect(linksIn(people.jo!.email)).toEqual(['https://zoom.example/j/1009']);
    expect(linksIn(gus.email)).toEqual(['https://zoom.example/j/1009']);
    expect(joinLinksTo(people.cy!.email)).toEqual([]);
  });
});
