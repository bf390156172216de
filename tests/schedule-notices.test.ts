import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.MAIL_POLL_SECONDS = '0.5';
  process.env.SCHEDULE_NOTICE_SETTLE_SECONDS = '1.5';
  process.env.ADMIN_SECRET = 'notices-admin-secret';
});

import { CancelRegistrationDocument, RegisterForEventDocument, UpdateSessionDocument, type RegisterForEventInput } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { type EventImport } from '../src/rules/event-file.js';
import { apiClient } from './support/api.js';
import { sessionIdsOf, startInboxAndWorker } from './support/mail.js';
import { sentTo, type Inbox } from './support/smtp.js';

const client = apiClient();
const asAdmin = apiClient({ authorization: 'Bearer notices-admin-secret' });
const slug = 'notices';
const hour = 3_600_000;
const t0 = Date.now();
const at = (ms: number) => new Date(t0 + ms).toISOString();
let inbox: Inbox;
let sessionIds: Record<number, string>;

/** Ten one-hour sessions, two days ahead, an hour apart; `shift` moves them all. */
function file(shift = 0, titles: (number: number) => string = (number) => `Session title ${number}`): EventImport {
  return {
    event: {
      slug,
      title: 'Consultation',
      organizer: 'OHCHR',
      status: 'CONFIRMED',
      startsAt: at(48 * hour),
      endsAt: at(72 * hour),
      timeZone: 'Europe/Zurich',
      format: 'HYBRID',
      interpretationLanguages: ['en', 'es', 'fr'],
      sessions: Array.from({ length: 10 }, (_, index) => ({
        number: index + 1,
        title: titles(index + 1),
        startsAt: at(49 * hour + index * 2 * hour + shift),
        endsAt: at(50 * hour + index * 2 * hour + shift),
      })),
    },
  };
}

const isNotice = (mail: ParsedMail) => /^(Schedule change|Cambio de programa)/.test(mail.subject!);
const noticesTo = (email: string) => inbox.to(email).filter(isNotice);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function register(name: string, sessions: number[], overrides: Partial<RegisterForEventInput> = {}) {
  const email = `${name.toLowerCase()}-${t0}@example.org`;
  const { registerForEvent } = await client.request(RegisterForEventDocument, {
    input: { eventSlug: slug, name, email, attendanceMode: 'IN_PERSON', sessionIds: sessions.map((number) => sessionIds[number]!), consent: true, ...overrides },
  });
  if (registerForEvent.__typename !== 'RegisterForEventPayload') throw new Error(`refused: ${JSON.stringify(registerForEvent)}`);
  await inbox.waitFor(sentTo(email));
  return { email, manageToken: registerForEvent.manageToken! };
}

beforeAll(async () => {
  await importEvent(file());
  sessionIds = await sessionIdsOf(slug);
  inbox = await startInboxAndWorker();
});

afterAll(async () => {
  await inbox.close();
});

describe('schedule change notices', () => {
  it('an import moving ten sessions: one notice per registrant, listing their sessions, once the schedule is quiet', async () => {
    const ana = await register('Ana', [1, 2, 3], { attendanceMode: 'REMOTE' });
    const bo = await register('Bo', [4, 5, 6, 7, 8, 9, 10], { interpretationLanguage: 'es' });
    const cy = await register('Cy', [1]);
    await client.request(CancelRegistrationDocument, { input: { manageToken: cy.manageToken } });

    // Every session half an hour later, and session 2 renamed.
    const importedAt = Date.now();
    await importEvent(file(hour / 2, (number) => (number === 2 ? 'A better title' : `Session title ${number}`)));
    // Di chooses session 5 after the move: she saw the new time, no notice is due to her.
    const di = await register('Di', [5]);

    const anaNotice = await inbox.waitFor((mail) => sentTo(ana.email)(mail) && isNotice(mail));
    expect(inbox.receivedAt(anaNotice).getTime()).toBeGreaterThanOrEqual(importedAt + 1_500);
    expect(anaNotice.subject).toBe('Schedule change: Consultation');
    const zurich = (ms: number) => new Intl.DateTimeFormat('en', { timeZone: 'Europe/Zurich', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(t0 + ms));
    const anaLines = anaNotice.text!.split('\n').filter((line) => line.startsWith('- '));
    expect(anaLines).toHaveLength(3);
    expect(anaLines[0]).toMatch(new RegExp(`^- Session 1: Session title 1 \\(.*${zurich(49 * hour + hour / 2)}\\s–\\s${zurich(50 * hour + hour / 2)}, Europe/Zurich .*\\): changed: start time, end time$`));
    expect(anaLines[1]).toMatch(/^- Session 2: A better title \(.+\): changed: start time, end time, title$/);
    expect(anaLines[2]).toMatch(/^- Session 3: Session title 3 \(.+\): changed: start time, end time$/);

    const boNotice = await inbox.waitFor((mail) => sentTo(bo.email)(mail) && isNotice(mail));
    expect(boNotice.subject).toBe('Cambio de programa: Consultation');
    expect(boNotice.text!.split('\n').filter((line) => line.startsWith('- ')).map((line) => /^- Sesión (\d+):/.exec(line)![1])).toEqual(['4', '5', '6', '7', '8', '9', '10']);
    expect(boNotice.text).toContain('cambios: hora de inicio, hora de fin');

    await wait(2_500);
    expect(noticesTo(ana.email)).toHaveLength(1);
    expect(noticesTo(bo.email)).toHaveLength(1);
    expect(noticesTo(cy.email)).toEqual([]);
    expect(noticesTo(di.email)).toEqual([]);
    const event = await prisma.event.findUniqueOrThrow({ where: { slug } });
    expect(event.notifiedRevision).toBe(event.revision);
    expect(await prisma.message.count({ where: { kind: 'SCHEDULE_CHANGE', registration: { eventId: event.id } } })).toBe(2);
  });

  it('admin edits in a burst: one notice after the last, and none for changes registrants are not told of', async () => {
    const eve = await register('Eve', [1, 2, 3, 4]);
    const before = await prisma.message.count({ where: { kind: 'SCHEDULE_CHANGE' } });
    // A description and seats are not what notices report.
    await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[4]!, description: 'More detail', roomSeats: 40 } });
    await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[1]!, title: 'Renamed once' } });
    await wait(500);
    await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[2]!, startsAt: at(49 * hour + 2 * hour + hour / 4) } });
    await wait(500);
    await asAdmin.request(UpdateSessionDocument, { input: { id: sessionIds[1]!, title: 'Renamed twice' } });
    const lastChangeAt = Date.now();

    const notice = await inbox.waitFor((mail) => sentTo(eve.email)(mail) && isNotice(mail));
    expect(inbox.receivedAt(notice).getTime()).toBeGreaterThanOrEqual(lastChangeAt + 1_000);
    expect(notice.text!.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      expect.stringMatching(/^- Session 1: Renamed twice \(.+\): changed: title$/),
      expect.stringMatching(/^- Session 2: A better title \(.+\): changed: start time$/),
    ]);
    await wait(2_500);
    expect(noticesTo(eve.email)).toHaveLength(1);
    // Ana (sessions 1 to 3) hears of the burst too, in one notice; Bo (4 to 10) of nothing.
    expect(await prisma.message.count({ where: { kind: 'SCHEDULE_CHANGE' } })).toBe(before + 2);
  });
});
