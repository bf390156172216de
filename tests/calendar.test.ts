import { readFile } from 'node:fs/promises';
import { encodeGlobalID } from '@pothos/plugin-relay';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { RegisterForEventDocument, UpdateRegistrationDocument } from '../src/client/operations.js';
import { yoga } from '../src/app.js';
import { prisma } from '../src/db/client.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { type EventImport } from '../src/rules/event-file.js';
import { apiClient, postGraphQL, withStatementLog } from './support/api.js';
import { futureEvent } from './support/future-event.js';
import { generatedEvent } from './support/generated-event.js';

const seeded = 'ohchr-remedy-tech-2021';
const hour = 3_600_000;

const get = (path: string) => yoga.fetch(new URL(path, 'http://api.test/'));

/** Fetches a feed and parses it back with ical.js, a third-party reader. */
async function feed(path: string) {
  const response = await get(path);
  expect(response.status).toBe(200);
  const text = await response.text();
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      description: event.description,
      location: event.location,
      url: vevent.getFirstPropertyValue('url') as string | null,
      status: vevent.getFirstPropertyValue('status'),
      tzid: vevent.getFirstProperty('dtstart')!.getParameter('tzid'),
      startsAt: event.startDate.toJSDate().toISOString(),
      endsAt: event.endDate.toJSDate().toISOString(),
      stamp: (vevent.getFirstPropertyValue('dtstamp') as ICAL.Time).toString(),
    };
  });
  const zones = calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'));
  return { response, text, events, zones };
}

describe('the event feed', () => {
  it('has one VEVENT per session at the right instants, in the event\'s zone with its VTIMEZONE', async () => {
    const { response, events, zones } = await feed(`/events/${seeded}.ics`);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(zones).toEqual(['Europe/Zurich']);
    expect(events.map((event) => [event.summary.slice(0, 10), event.startsAt, event.endsAt, event.tzid])).toEqual([
      ['Session 1:', '2021-09-23T08:00:00.000Z', '2021-09-23T10:00:00.000Z', 'Europe/Zurich'],
      ['Session 2:', '2021-09-23T13:00:00.000Z', '2021-09-23T16:00:00.000Z', 'Europe/Zurich'],
      ['Session 3:', '2021-09-24T08:00:00.000Z', '2021-09-24T10:00:00.000Z', 'Europe/Zurich'],
      ['Session 4:', '2021-09-24T13:00:00.000Z', '2021-09-24T15:00:00.000Z', 'Europe/Zurich'],
    ]);
    const [first, second] = events;
    expect(first!.summary).toBe('Session 1: Remedying adverse human rights impacts of technology companies through the courts');
    expect(first!.location).toBe('Palais des Nations, Room XVIII; online: Zoom');
    expect(second!.description).toContain('Part 1: The role and contributions of national human rights institutions');
    expect(second!.description).toContain('Part 2: Challenges and opportunities for OECD National Contact Points');
    // DTSTAMP is UTC, as RFC 5545 requires.
    expect(first!.stamp).toMatch(/Z$/);
  });

  it('keeps each session\'s UID from one fetch to the next, and the one-session feed shares it', async () => {
    const first = await feed(`/events/${seeded}.ics`);
    const again = await feed(`/events/${seeded}.ics`);
    const ids = await prisma.session.findMany({ where: { event: { slug: seeded } }, orderBy: { number: 'asc' }, select: { id: true } });
    expect(first.events.map((event) => event.uid)).toEqual(ids.map(({ id }) => `session-${id}@event-api`));
    expect(again.events.map((event) => event.uid)).toEqual(first.events.map((event) => event.uid));
    const one = await feed(`/events/${seeded}/sessions/2.ics`);
    expect(one.events).toHaveLength(1);
    expect(one.events[0]!.uid).toBe(first.events[1]!.uid);
    expect(one.zones).toEqual(['Europe/Zurich']);
  });

  it('loads any event with the same number of SQL statements, however many sessions it has', async () => {
    await importEvent(generatedEvent({ slug: 'calendar-large', sessions: 40, panelists: 10 }));
    const small = await withStatementLog(() => feed(`/events/${seeded}.ics`));
    const large = await withStatementLog(() => feed('/events/calendar-large.ics'));
    expect(large.result.events).toHaveLength(40);
    expect(large.result.zones).toEqual(['America/New_York']);
    expect(large.statements.length).toBe(small.statements.length);
  });

  it('answers 404 with a short text for an unknown event, session or manage token', async () => {
    for (const path of ['/events/no-such-event.ics', `/events/${seeded}/sessions/9.ics`, '/events/no-such-event/sessions/1.ics', '/registrations/reg_unknown.ics']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toMatch(/^No|has no session/);
    }
  });
});

describe('text RFC 5545 forbids', () => {
  it('is dropped from every line: control characters and noncharacters in titles, descriptions and the venue', async () => {
    const forbidden = '\u0001\u0008\u000b\u000c\u001f\u007f\u0085\ufffe\uffff\u{10fffe}';
    const file = futureEvent('calendar-control-characters');
    file.event.title = `Con${forbidden}sultation`;
    file.event.summary = `About${forbidden} it`;
    file.event.venue = { name: `Pal${forbidden}ais`, room: 'XVIII' };
    file.event.sessions![0] = { ...file.event.sessions![0]!, title: `So${forbidden}on; now`, description: `Line one${forbidden}\nline two` };
    await importEvent(file);
    const { text, events } = await feed('/events/calendar-control-characters.ics');
    expect(text.replaceAll('\r\n', '')).not.toMatch(/(?!\t)\p{Cc}|\p{Noncharacter_Code_Point}/u);
    expect(events[0]).toMatchObject({ summary: 'Session 1: Soon; now', description: 'Line one\nline two', location: 'Palais, XVIII' });
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect([calendar.getFirstPropertyValue('name'), calendar.getFirstPropertyValue('x-wr-caldesc')]).toEqual(['Consultation', 'About it']);
  });
});

describe('the API\'s links to the feeds', () => {
  it('gives absolute ics and webcal URLs on Event and Session, from PUBLIC_URL or the listening address, never the Host', async () => {
    const query = `{ event(slug: "${seeded}") { calendar { icsUrl webcalUrl } sessions(first: 1) { edges { node { calendar { icsUrl webcalUrl } } } } } }`;
    const { json } = await postGraphQL({ query });
    expect(json.data.event.calendar).toEqual({
      icsUrl: `http://localhost:4000/events/${seeded}.ics`,
      webcalUrl: `webcal://localhost:4000/events/${seeded}.ics`,
    });
    expect(json.data.event.sessions.edges[0].node.calendar.icsUrl).toBe(`http://localhost:4000/events/${seeded}/sessions/1.ics`);
    expect((await get(json.data.event.sessions.edges[0].node.calendar.icsUrl)).status).toBe(200);

    process.env.PUBLIC_URL = 'https://events.example.org';
    try {
      const { json: behindProxy } = await postGraphQL({ query: `{ event(slug: "${seeded}") { proxied: calendar { icsUrl webcalUrl } } }` });
      expect(behindProxy.data.event.proxied).toEqual({
        icsUrl: `https://events.example.org/events/${seeded}.ics`,
        webcalUrl: `webcal://events.example.org/events/${seeded}.ics`,
      });
    } finally {
      delete process.env.PUBLIC_URL;
    }
  });
});

describe('SEQUENCE', () => {
  it('rises when a session changes, with the UID unchanged', async () => {
    const before = (await feed(`/events/${seeded}/sessions/3.ics`)).events[0]!;
    const file = JSON.parse(await readFile('seed/ohchr-remedy-tech-2021.json', 'utf8')) as EventImport;
    file.event.sessions![2]!.title = 'Understanding the perspectives of affected stakeholders';
    file.event.sessions![2]!.endsAt = '2021-09-24T12:30:00+02:00';
    await importEvent(file);
    const after = (await feed(`/events/${seeded}/sessions/3.ics`)).events[0]!;
    expect(after.sequence).toBe(before.sequence + 1);
    expect(after.uid).toBe(before.uid);
    expect(after.summary).toBe('Session 3: Understanding the perspectives of affected stakeholders');
    expect(after.endsAt).toBe('2021-09-24T10:30:00.000Z');
    // The other sessions didn't change.
    expect((await feed(`/events/${seeded}/sessions/4.ics`)).events[0]!.sequence).toBe(0);
  });
});

describe('SEQUENCE and Event.revision follow only what a calendar shows', () => {
  const slug = 'calendar-churn';
  const now = Date.now();
  const state = async () => {
    const { json } = await postGraphQL({ query: `{ event(slug: "${slug}") { revision changes(first: 50) { edges { node { fields } } } } }` });
    const events = (await feed(`/events/${slug}.ics`)).events;
    return { revision: json.data.event.revision as number, changes: json.data.event.changes.edges.length as number, sequences: events.map((event) => event.sequence) };
  };

  it('a change of seats alone leaves both as they were; a change of time raises both', async () => {
    await importEvent(futureEvent(slug, { roomSeats: 10, remoteSeats: 10 }, now));
    const before = await state();

    await importEvent(futureEvent(slug, { roomSeats: 30, remoteSeats: 5 }, now));
    expect(await prisma.session.count({ where: { event: { slug }, roomSeats: 30 } })).toBe(2);
    expect(await state()).toEqual(before);

    const moved = futureEvent(slug, { roomSeats: 30, remoteSeats: 5 }, now);
    moved.event.sessions![1]!.endsAt = new Date(now + (10 * 24 + 2) * hour).toISOString();
    await importEvent(moved);
    expect(await state()).toEqual({ revision: before.revision + 1, changes: before.changes + 1, sequences: [before.sequences[0], before.sequences[1]! + 1] });
  });

  it('a new location or status of the event raises every session\'s SEQUENCE', async () => {
    const before = await state();
    const elsewhere = futureEvent(slug, { roomSeats: 30, remoteSeats: 5 }, now);
    elsewhere.event.sessions![1]!.endsAt = new Date(now + (10 * 24 + 2) * hour).toISOString();
    elsewhere.event.venue = { name: 'Palais Wilson' };
    await importEvent(elsewhere);
    expect((await state()).sequences).toEqual(before.sequences.map((sequence) => sequence + 1));
  });
});

describe('a registrant\'s own feed', () => {
  const client = apiClient();
  const slug = 'calendar-personal';
  const myRegistration = `query ($manageToken: String!) { registration(manageToken: $manageToken) { calendar { icsUrl webcalUrl } } }`;

  /**
   * A future event in New York: session 1 starts within the join-link lead time, 2 and 3 in 2030;
   * 3 has no remote seats, so a remote registrant waits for it.
   */
  async function personalEvent() {
    const file = generatedEvent({ slug, sessions: 4, panelists: 4 });
    const soon = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + hour);
    const [first, , third] = file.event.sessions!;
    Object.assign(first!, { startsAt: soon.toISOString(), endsAt: new Date(soon.getTime() + hour).toISOString() });
    file.event.startsAt = first!.startsAt;
    file.event.sessions!.forEach((session, index) => Object.assign(session, { zoomJoinUrl: `https://zoom.example/j/${index + 1}`, remoteSeats: 10 }));
    third!.remoteSeats = 0;
    await importEvent(file);
    const sessions = await prisma.session.findMany({ where: { event: { slug } }, orderBy: { number: 'asc' } });
    return { sessions, soon };
  }

  it('lists only their sessions that are not cancelled, with their status, and a join link only once released', async () => {
    const { sessions, soon } = await personalEvent();
    const ids = sessions.map((session) => encodeGlobalID('Session', session.id));
    const { registerForEvent } = await client.request(RegisterForEventDocument, {
      input: { eventSlug: slug, name: 'Ana', email: 'ana@example.org', attendanceMode: 'REMOTE', sessionIds: ids, consent: true },
    });
    if (registerForEvent.__typename !== 'RegisterForEventPayload') throw new Error(`refused: ${JSON.stringify(registerForEvent)}`);
    const manageToken = registerForEvent.manageToken!;
    // Dropping session 4 cancels it.
    await client.request(UpdateRegistrationDocument, { input: { manageToken, sessionIds: ids.slice(0, 3) } });

    const { json } = await postGraphQL({ query: myRegistration, variables: { manageToken } });
    const { icsUrl, webcalUrl } = json.data.registration.calendar;
    // A read-only key, not the manage token: calendar services may hold the link.
    expect(icsUrl).toMatch(/^http:\/\/localhost:4000\/registrations\/[\w-]+\.[\w-]{43}\.ics$/);
    expect(icsUrl).not.toContain(manageToken);
    expect(webcalUrl).toBe(icsUrl.replace(/^http:/, 'webcal:'));
    const forged = icsUrl.replace(/\.([\w-]{43})\.ics$/, (_: string, mac: string) => `.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}.ics`);
    expect((await yoga.fetch(forged)).status).toBe(404);
    const { response, text, events, zones } = await feed(json.data.registration.calendar.icsUrl);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(zones).toEqual(['America/New_York']);
    expect(events.map((event) => event.summary)).toEqual(['Session 1: Session 1', 'Session 2: Session 2', 'Session 3: Session 3']);
    expect(events.map((event) => event.uid)).toEqual(sessions.slice(0, 3).map((session) => `session-${session.id}@event-api`));
    const [released, withheld, waiting] = events;

    expect(released!.startsAt).toBe(soon.toISOString());
    expect(released!.tzid).toBe('America/New_York');
    expect(released!.url).toBe('https://zoom.example/j/1');
    expect(released!.description).toContain('Your registration: confirmed, remote.');
    expect(released!.description).toContain('Join online: https://zoom.example/j/1');

    expect(withheld!.startsAt).toBe(sessions[1]!.startsAt.toISOString());
    expect(withheld!.url).toBeNull();
    // When, in words and in the event's zone: no raw timestamp.
    const release = new Date(sessions[1]!.startsAt.getTime() - 24 * hour);
    const inNewYork = new Intl.DateTimeFormat('en', { timeZone: 'America/New_York', dateStyle: 'full', timeStyle: 'short', hourCycle: 'h23' }).format(release);
    expect(withheld!.description).toContain(`The link to join online will be given here on ${inNewYork}, America/New York (Eastern Standard Time).`);

    expect(waiting!.description).toContain('Your registration: waitlisted, remote.');
    expect(waiting!.status).toBe('TENTATIVE');
    expect(waiting!.url).toBeNull();

    // Only the released link is anywhere in the feed.
    expect(text).toContain('zoom.example/j/1');
    for (const hidden of ['zoom.example/j/2', 'zoom.example/j/3', 'zoom.example/j/4']) expect(text).not.toContain(hidden);
  });

  it('keeps the feed link when someone registers again with the same email (no token is replaced)', async () => {
    const { sessions } = await personalEvent();
    const input = { eventSlug: slug, name: 'Bo', email: 'bo@example.org', attendanceMode: 'REMOTE' as const, sessionIds: [encodeGlobalID('Session', sessions[0]!.id)], consent: true };
    const first = await client.request(RegisterForEventDocument, { input });
    if (first.registerForEvent.__typename !== 'RegisterForEventPayload') throw new Error('refused');
    const { json } = await postGraphQL({ query: myRegistration, variables: { manageToken: first.registerForEvent.manageToken } });
    const oldFeed = json.data.registration.calendar.icsUrl;
    expect((await yoga.fetch(oldFeed)).status).toBe(200);
    await client.request(RegisterForEventDocument, { input: { ...input, name: 'Someone else' } });
    expect((await yoga.fetch(oldFeed)).status).toBe(200);
  });

  it('gives no registration to a guessed token, and public feeds no join link', async () => {
    const { json } = await postGraphQL({ query: myRegistration, variables: { manageToken: 'reg_guessed' } });
    expect(json.data.registration).toBeNull();
    const { text } = await feed(`/events/${slug}.ics`);
    expect(text).not.toContain('zoom.example');
  });
});
