/*
 * The frab schedule export (`/events/<slug>/schedule.xml` and `.json`): valid against the
 * published c3voc schedule XSD and JSON schema (copied in tests/fixtures/frab/), read back by an
 * independent XML parser, in the event's zone, with guids that don't move. The server's own zone
 * is tests/frab-schedule-zone.test.ts's concern.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import type { EventImport } from '../src/rules/event-file.js';
import { expectValidJson, expectValidXml, parseScheduleXml } from './support/frab-schedule.js';

process.env.ADMIN_SECRET = 'frab-admin-secret';

const { yoga } = await import('../src/app.js');
const { UpdateSessionDocument } = await import('../src/client/operations.js');
const { prisma } = await import('../src/db/client.js');
const { importEvent } = await import('../src/resolvers/event-import.js');
const { apiClient, withStatementLog } = await import('./support/api.js');
const { generatedEvent } = await import('./support/generated-event.js');

const seeded = 'ohchr-remedy-tech-2021';
const asAdmin = apiClient({ authorization: 'Bearer frab-admin-secret' });

const get = (path: string, headers: Record<string, string> = {}) => yoga.fetch(new URL(path, 'http://api.test/'), { headers });

/** The export in both formats, each validated against its schema, the XML parsed back. */
async function exported(slug: string) {
  const xmlResponse = await get(`/events/${slug}/schedule.xml`);
  expect(xmlResponse.status).toBe(200);
  const xml = await xmlResponse.text();
  await expectValidXml(xml);
  const jsonResponse = await get(`/events/${slug}/schedule.json`);
  expect(jsonResponse.status).toBe(200);
  const json = (await jsonResponse.json()) as any;
  expectValidJson(json);
  const parsed = parseScheduleXml(xml);
  const events = parsed.day.flatMap((day) => day.room.flatMap((room) => room.event ?? []));
  const jsonEvents = (json.schedule.conference.days as any[]).flatMap((day) => Object.values(day.rooms as Record<string, any[]>).flat());
  return { xmlResponse, jsonResponse, xml, json, parsed, events, jsonEvents };
}

/** Test data of our own making, not the consultation: panelists, parts, documents with links, two zones' worth of dates. */
function fixtureEvent(slug: string): EventImport {
  return {
    event: {
      slug,
      title: `Fixture ${slug}`,
      organizer: 'Test organizer',
      status: 'CONFIRMED',
      // November: Geneva is on UTC+1, and the second day is one later.
      startsAt: '2030-11-05T09:00:00+01:00',
      endsAt: '2030-11-07T18:00:00+01:00',
      timeZone: 'Europe/Zurich',
      venue: { name: 'Test venue', room: 'Test room' },
      format: 'IN_PERSON',
      interpretationLanguages: ['en'],
      panelists: [
        { key: 'ana', name: 'Ana Example', affiliation: 'Test University', bio: 'Bio of Ana.' },
        { key: 'ben', name: 'Ben Example' },
      ],
      sessions: [
        {
          number: 7,
          title: 'Morning panel',
          description: 'What the panel is about.',
          startsAt: '2030-11-05T09:30:00+01:00',
          endsAt: '2030-11-05T11:15:00+01:00',
          format: 'PANEL',
          mechanismType: 'JUDICIAL',
          zoomJoinUrl: 'https://zoom.example/j/secret-fixture-link',
          panelists: [{ panelist: 'ben', role: 'MODERATOR' }],
          parts: [
            { position: 1, title: 'First part', description: 'The first part.', panelists: [{ panelist: 'ana', role: 'SPEAKER' }] },
            { position: 2, description: 'A part with no title.', panelists: [{ panelist: 'ben', role: 'SPEAKER' }] },
          ],
        },
        // Late in the evening: in UTC it is already the next day, in Auckland two days later.
        { number: 8, title: 'Évening session', startsAt: '2030-11-06T23:00:00+01:00', endsAt: '2030-11-06T23:45:00+01:00' },
      ],
      breaks: [{ title: 'Fixture coffee break', startsAt: '2030-11-05T11:15:00+01:00', endsAt: '2030-11-05T11:45:00+01:00' }],
      documents: [
        { title: 'Programme & notes', kind: 'AGENDA', url: 'https://docs.example/programme.pdf' },
        { title: 'Unpublished draft', kind: 'BACKGROUND' },
      ],
    },
  };
}

describe('the frab schedule of the seeded consultation', () => {
  it('has one event per session, none for a break, at the right times in Geneva\'s zone, in one hybrid room', async () => {
    const { parsed, events, json, jsonEvents } = await exported(seeded);
    const sessions = await prisma.session.findMany({ where: { event: { slug: seeded } }, orderBy: { number: 'asc' } });
    expect(events).toHaveLength(sessions.length);
    expect(jsonEvents).toHaveLength(sessions.length);
    expect(events.map((event) => event.title)).toEqual(sessions.map((session) => session.title));
    expect(events.map((event) => [event['@id'], event.date, event.start, event.duration])).toEqual([
      ['1', '2021-09-23T10:00:00+02:00', '10:00', '02:00'],
      ['2', '2021-09-23T15:00:00+02:00', '15:00', '03:00'],
      ['3', '2021-09-24T10:00:00+02:00', '10:00', '02:00'],
      ['4', '2021-09-24T15:00:00+02:00', '15:00', '02:00'],
    ]);
    expect(parsed.day.map((day) => [day['@index'], day['@date'], day['@start'], day['@end'], day.room.map((room) => room['@name'])])).toEqual([
      ['1', '2021-09-23', '2021-09-23T00:00:00+02:00', '2021-09-24T00:00:00+02:00', ['Room XVIII / Zoom']],
      ['2', '2021-09-24', '2021-09-24T00:00:00+02:00', '2021-09-25T00:00:00+02:00', ['Room XVIII / Zoom']],
    ]);
    expect(new Set(events.map((event) => event.room))).toEqual(new Set(['Room XVIII / Zoom']));
    expect(parsed.conference).toMatchObject({ acronym: 'ohchr_remedy_tech_2021', start: '2021-09-23', end: '2021-09-24', days: '2', time_zone_name: 'Europe/Zurich' });
    expect(json.schedule.conference.rooms).toEqual([expect.objectContaining({ name: 'Room XVIII / Zoom', description: 'Palais des Nations, Room XVIII; online: Zoom' })]);
    const breaks = await prisma.break.findMany({ where: { event: { slug: seeded } } });
    expect(breaks.length).toBeGreaterThan(0);
    for (const item of breaks) {
      expect(events.some((event) => event.title === item.title || event.date === item.startsAt.toISOString())).toBe(false);
    }
    // Both formats describe the same events.
    expect(jsonEvents.map((event) => [event.guid, event.id, event.date, event.start, event.duration, event.title, event.room])).toEqual(
      events.map((event) => [event['@guid'], Number(event['@id']), event.date, event.start, event.duration, event.title, event.room]),
    );
  });

  it('shows each session\'s parts in its description and its mechanism type as the track', async () => {
    const { events, parsed } = await exported(seeded);
    const second = events[1]!;
    expect(second.subtitle).toBe('Session 2');
    expect(second.track).toBe('State-based non-judicial mechanisms');
    expect(second.type).toBe('mixed');
    expect(second.abstract).toMatch(/^State-based non-judicial mechanisms play an essential role/);
    expect(second.description).toMatch(/^Part 1: The role and contributions of national human rights institutions\n/);
    expect(second.description).toContain('\n\nPart 2: Challenges and opportunities for OECD National Contact Points\n');
    expect(events[0]!.description).toBeUndefined();
    expect(parsed.conference.track!.map((track) => [track['@name'], track['@slug']])).toEqual([
      ['Judicial mechanisms', 'judicial'],
      ['State-based non-judicial mechanisms', 'state-based-non-judicial'],
      ['Non-State-based grievance mechanisms', 'non-state-based'],
    ]);
  });

  it('gives each session the same guid in every export and in both formats, a UUID v5 of its ID', async () => {
    const first = await exported(seeded);
    const second = await exported(seeded);
    const guids = first.events.map((event) => event['@guid']);
    expect(new Set(guids).size).toBe(guids.length);
    for (const guid of guids) expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.events.map((event) => event['@guid'])).toEqual(guids);
    expect(first.jsonEvents.map((event) => event.guid)).toEqual(guids);
  });
});

describe('an edit', () => {
  it('shows at once, keeps the session\'s guid, and a hostile title comes back escaped and intact', async () => {
    await importEvent(fixtureEvent('frab-edited'));
    const before = await exported('frab-edited');
    const session = await prisma.session.findFirstOrThrow({ where: { number: 7, event: { slug: 'frab-edited' } } });
    const hostile = 'A <b>bold</b> & "quoted" \'title\' ]]> <![CDATA[x]]> &amp; &nbsp; &#60; \u0001\u000b\u001f\u007f\ttabbed\nnext line é 日本 🙂';
    const { updateSession } = await asAdmin.request(UpdateSessionDocument, { input: { id: encodeGlobalID('Session', session.id), title: hostile } });
    expect(updateSession.__typename).toBe('SessionPayload');

    const after = await exported('frab-edited');
    expect(after.xmlResponse.headers.get('etag')).not.toBe(before.xmlResponse.headers.get('etag'));
    const [edited] = after.events;
    expect(edited!['@guid']).toBe(before.events[0]!['@guid']);
    expect(after.jsonEvents[0].guid).toBe(before.events[0]!['@guid']);
    // XML 1.0 cannot hold the other control characters, even escaped: they are dropped; JSON keeps every one.
    expect(edited!.title).toBe(hostile.replace(/[\u0001\u000b\u001f]/g, ''));
    expect(after.jsonEvents[0].title).toBe(hostile);
    expect(after.xml).toContain('A &lt;b&gt;bold&lt;/b&gt; &amp; "quoted" \'title\' ]]&gt; &lt;![CDATA[x]]&gt; &amp;amp; &amp;nbsp; &amp;#60;');
    expect(after.xml).not.toContain('<b>');
    // The slug is made of the title's words, in the characters the schemas allow.
    expect(edited!.slug).toBe('frab_edited-7-a-b-bold-b-quoted-title-cdata-x-amp-nbsp-60-tabbed-next-line');
  });
});

describe('a fixture event', () => {
  it('lists the panelists of the session and its parts once each, with no private data, and the documents that have a link', async () => {
    await importEvent(fixtureEvent('frab-fixture'));
    const { xml, json, events, jsonEvents } = await exported('frab-fixture');
    expect(xml).not.toContain('secret-fixture-link');
    expect(JSON.stringify(json)).not.toContain('secret-fixture-link');
    const [panel, evening] = events;
    const persons = panel!.persons === '' ? [] : panel!.persons.person!;
    expect(persons.map((person) => person['#text'])).toEqual(['Ben Example', 'Ana Example']);
    expect(jsonEvents[0].persons.map((person: any) => [person.name, person.public_name, person.biography])).toEqual([
      ['Ben Example', 'Ben Example', null],
      ['Ana Example', 'Ana Example', 'Bio of Ana.'],
    ]);
    expect(jsonEvents[0].persons.map((person: any) => person.guid)).toEqual(persons.map((person) => person['@guid']));
    expect(panel!.attachments!.attachment).toEqual([{ '#text': 'Programme & notes', '@href': 'https://docs.example/programme.pdf' }]);
    expect(jsonEvents[0].attachments).toEqual([{ url: 'https://docs.example/programme.pdf', title: 'Programme & notes' }]);
    expect(panel!.description).toBe('Part 1: First part\nThe first part.\n\nPart 2\nA part with no title.');
    expect([panel!.date, panel!.start, panel!.duration, panel!.room, panel!.type, panel!.track]).toEqual(['2030-11-05T09:30:00+01:00', '09:30', '01:45', 'Test room', 'panel', 'Judicial mechanisms']);
    // A session's day is its day in the event's zone, not UTC's (the 7th).
    expect([evening!.date, evening!.start, evening!.duration, evening!.track, evening!.type]).toEqual(['2030-11-06T23:00:00+01:00', '23:00', '00:45', '', 'session']);
    expect(evening!.slug).toBe('frab_fixture-8-evening-session');
    expect(events.map((event) => event.title)).not.toContain('Fixture coffee break');
  });

  it('has every day of the event, an empty one too, each from midnight to midnight in the event\'s zone', async () => {
    await importEvent(fixtureEvent('frab-days'));
    const { parsed, json } = await exported('frab-days');
    expect(parsed.day.map((day) => [day['@date'], day['@start'], day['@end'], (day.room[0]!.event ?? []).length])).toEqual([
      ['2030-11-05', '2030-11-05T00:00:00+01:00', '2030-11-06T00:00:00+01:00', 1],
      ['2030-11-06', '2030-11-06T00:00:00+01:00', '2030-11-07T00:00:00+01:00', 1],
      ['2030-11-07', '2030-11-07T00:00:00+01:00', '2030-11-08T00:00:00+01:00', 0],
    ]);
    expect(json.schedule.conference.daysCount).toBe(3);
  });

  it('a day on which the clocks change lasts 23 hours, and sessions after the change have the new offset', async () => {
    await importEvent(generatedEvent({ slug: 'frab-clock-change', sessions: 1, panelists: 1, timeZone: 'Europe/Zurich' }));
    await prisma.event.update({ where: { slug: 'frab-clock-change' }, data: { startsAt: new Date('2031-03-29T12:00:00Z'), endsAt: new Date('2031-03-30T18:00:00Z') } });
    await prisma.session.updateMany({ where: { event: { slug: 'frab-clock-change' } }, data: { startsAt: new Date('2031-03-30T08:00:00Z'), endsAt: new Date('2031-03-30T09:30:00Z') } });
    // Written behind the API's back: drop what the cache holds, as an admin write would.
    const { responseCache } = await import('../src/cache.js');
    await responseCache.invalidate([{ typename: 'Event' }]);
    const { parsed, events } = await exported('frab-clock-change');
    expect(parsed.day.map((day) => [day['@date'], day['@start'], day['@end']])).toEqual([
      ['2031-03-29', '2031-03-29T00:00:00+01:00', '2031-03-30T00:00:00+01:00'],
      ['2031-03-30', '2031-03-30T00:00:00+01:00', '2031-03-31T00:00:00+02:00'],
    ]);
    expect([events[0]!.date, events[0]!.start, events[0]!.duration]).toEqual(['2031-03-30T10:00:00+02:00', '10:00', '01:30']);
  });
});

describe('the HTTP side', () => {
  it('answers 304 to a known ETag, compresses, and reads the database once per change', async () => {
    const plain = await get(`/events/${seeded}/schedule.xml`);
    const body = Buffer.from(await plain.arrayBuffer());
    const etag = plain.headers.get('etag')!;
    expect(plain.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(plain.headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');

    const again = await withStatementLog(async () => get(`/events/${seeded}/schedule.xml`, { 'if-none-match': etag }));
    expect(again.result.status).toBe(304);
    expect(again.statements).toEqual([]);

    const gzip = await get(`/events/${seeded}/schedule.xml`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer()))).toEqual(body);
    const brotli = await get(`/events/${seeded}/schedule.json`, { 'accept-encoding': 'br, gzip' });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expectValidJson(JSON.parse(brotliDecompressSync(Buffer.from(await brotli.arrayBuffer())).toString('utf8')));
  });

  it('is built once for a crowd of readers after a change, not once per reader', async () => {
    const { responseCache } = await import('../src/cache.js');
    await responseCache.invalidate([{ typename: 'Event' }]);
    // Arriving one after the other while the first one's build runs.
    const crowd = await withStatementLog(async () => {
      const responses: ReturnType<typeof get>[] = [];
      for (let reader = 0; reader < 20; reader += 1) {
        responses.push(get(`/events/${seeded}/schedule.xml`));
        await new Promise((next) => setImmediate(next));
      }
      return Promise.all(responses);
    });
    expect(crowd.result.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(new Set(crowd.result.map((response) => response.headers.get('etag'))).size).toBe(1);
    expect(crowd.statements).toHaveLength(1);
  });

  it('ignores query parameters other than lang, however hostile, refuses a lang that is no language tag, and answers 404 for what is no event\'s', async () => {
    const plain = await get(`/events/${seeded}/schedule.json`);
    const withQuery = await get(`/events/${seeded}/schedule.json?%00=%ff&day=<script>&${'x'.repeat(5_000)}=1`);
    expect(withQuery.status).toBe(200);
    expect(withQuery.headers.get('etag')).toBe(plain.headers.get('etag'));
    // `lang` is read, and must be a language tag.
    const badLanguage = await get(`/events/${seeded}/schedule.json?lang=${'x'.repeat(5_000)}`);
    expect(badLanguage.status).toBe(400);
    expect(await badLanguage.text()).toBe('lang must be a language tag, for example fr or es.\n');
    for (const path of ['/events/no-such-event/schedule.xml', '/events/no-such-event/schedule.json', '/events/%3Cscript%3E/schedule.xml', `/events/${'a'.repeat(5_000)}/schedule.xml`, `/events/${seeded}/schedule.ics`, '/events/UPPER/schedule.json']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toMatch(/<script|at \w+ \(|\/src\//);
    }
  });

  it('loads any event with the same number of SQL statements, however many sessions it has', async () => {
    await importEvent(generatedEvent({ slug: 'frab-large', sessions: 40, panelists: 10 }));
    const small = await withStatementLog(() => exported(seeded));
    const large = await withStatementLog(() => exported('frab-large'));
    expect(large.result.events).toHaveLength(40);
    expect(large.statements.length).toBe(small.statements.length);
    expect(small.statements.length).toBeLessThanOrEqual(2);
  });
});
