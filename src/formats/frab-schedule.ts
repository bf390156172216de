import { v5 as uuidv5 } from 'uuid';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { labels, languageOf, type Language } from '../embed/agenda-view.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { EventFormat, SessionFormat } from '../generated/prisma/enums.js';
import { publicUrl } from '../public-url.js';
import { buildAgenda, startOfLocalDay, wallClock, zonedIso } from '../rules/agenda.js';
import { ShownLanguages, translated, type Translatable } from '../rules/translation.js';
import { location } from './calendar.js';

/**
 * The schedule in the frab format (the c3voc schedule XML and JSON that pentabarf, frab and
 * pretalx export), which conference apps import: Giggity, ConfClerk, EventFahrplan, the FOSDEM
 * and CCC companions. One frab event per session; breaks are not events. See README.md.
 */

/**
 * Where every guid comes from: a UUID v5 of a row's ID in this namespace, so a session keeps its
 * guid across exports, edits and processes. Never change it: apps key favourites by guid.
 */
const guidNamespace = 'c8a80413-667c-4a9d-b95d-0077d709d1e3';

const guidOf = (kind: 'session' | 'room' | 'panelist', id: string) => uuidv5(`${kind}:${id}`, guidNamespace);

/** How the export reads each text a visitor reads: in one language, where each row has it. */
interface Reading {
  /** The language of the labels the export adds itself (`Session 1`, `Part 2`). */
  labels: Language;
  text<Row extends Translatable, Field extends keyof Row & string>(row: Row, field: Field): Row[Field];
  /** The language `text` gives that field in: the one asked for, or the row's default it fell back to. */
  languageOf<Row extends Translatable, Field extends keyof Row & string>(row: Row, field: Field): string;
  /** The languages of the texts read so far, for the export's Content-Language. */
  shown: ShownLanguages;
}

/** Texts in `language`, field by field, else in the row's own default (a mechanism type has its own). */
function readingIn(language: string, event: { defaultLanguage: string }): Reading {
  const defaultOf = (row: object) => ('defaultLanguage' in row && typeof row.defaultLanguage === 'string' ? row.defaultLanguage : event.defaultLanguage);
  const shown = new ShownLanguages();
  return {
    labels: languageOf(language),
    text: (row, field) => shown.read(row, field, language, defaultOf(row)).value,
    languageOf: (row, field) => translated(row, field, language, defaultOf(row)).language,
    shown,
  };
}

export const scheduleQuery = {
  include: {
    sessions: {
      // The join link never leaves the database for a public read.
      omit: { zoomJoinUrl: true },
      orderBy: [{ startsAt: 'asc' }, { number: 'asc' }],
      include: {
        mechanismType: true,
        parts: { orderBy: { position: 'asc' } },
        panelists: { include: { panelist: true, part: { select: { position: true } } }, orderBy: [{ position: 'asc' }, { id: 'asc' }] },
      },
    },
    documents: { where: { url: { not: null } }, orderBy: { position: 'asc' } },
  },
} as const satisfies Prisma.EventDefaultArgs;

type ScheduleEvent = Prisma.EventGetPayload<typeof scheduleQuery>;

type ScheduleSession = ScheduleEvent['sessions'][number];

/** The export, before it is written as XML or JSON: the terms are frab's. */
interface FrabSchedule {
  version: string;
  url: string;
  baseUrl: string;
  conference: {
    acronym: string;
    title: string;
    start: string;
    end: string;
    timeZone: string;
    tracks: { name: string; slug: string }[];
    room: { name: string; guid: string; description: string | null };
  };
  days: { index: number; date: string; start: string; end: string; events: FrabEvent[] }[];
}

interface FrabEvent {
  guid: string;
  id: number;
  date: string;
  start: string;
  duration: string;
  room: string;
  slug: string;
  url: string;
  title: string;
  subtitle: string;
  track: string | null;
  type: string;
  /** The language of the title as shown: the one asked for, or the default it fell back to. */
  language: string;
  abstract: string;
  description: string | null;
  persons: { guid: string; name: string; biography: string | null }[];
  attachments: { url: string; title: string }[];
}

/**
 * frab's acronym: the slug with `_` for `-` (the published JSON schema allows no hyphen there
 * but before a year), at least 4 characters as both schemas ask.
 */
const acronymOf = (slug: string) => slug.replaceAll('-', '_').padEnd(4, '_');

/** Lowercase ASCII words joined by hyphens, accents dropped, at most 60 characters: a title in a slug. */
function slugify(text: string): string {
  const words = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  if (words.length <= 60) return words;
  // Cut between words, unless the first is longer than that.
  const cut = words.slice(0, 60);
  return words[60] === '-' ? cut : cut.replace(/-[^-]*$/, '');
}

/** `HH:MM`, as frab writes a duration. */
function hoursAndMinutes(milliseconds: number): string {
  const minutes = Math.round(milliseconds / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const typeOf: Record<SessionFormat, string> = { PANEL: 'panel', INTERACTIVE: 'interactive', MIXED: 'mixed' };

/**
 * The one room every session is in. Apps draw a column per room; a hybrid session happens in the
 * room and on the platform at once, so its room names both (`Room XVIII / Zoom`).
 */
function roomName(event: ScheduleEvent, reading: Reading): string {
  const place = event.venueRoom ?? event.venueName;
  const byFormat: Record<EventFormat, (string | null)[]> = {
    IN_PERSON: [place],
    ONLINE: [event.onlinePlatform],
    HYBRID: [place, event.onlinePlatform],
  };
  return byFormat[event.format].filter(Boolean).join(' / ') || reading.text(event, 'title');
}

/** The parts, each under its label, with its title or, where it has none, its description alone. */
function partsText(session: ScheduleSession, reading: Reading): string | null {
  const t = labels[reading.labels];
  const parts = session.parts.map((part) => {
    const title = reading.text(part, 'title');
    return [title ? `${t.part(part.position)}${t.colon}${title}` : t.part(part.position), reading.text(part, 'description')].filter(Boolean).join('\n');
  });
  return parts.join('\n\n') || null;
}

/** Everyone on the session's panel or one of its parts, once each: names and bios, nothing private. */
function personsOf(session: ScheduleSession, reading: Reading): FrabEvent['persons'] {
  const roles = session.panelists.toSorted((a, b) => (a.part?.position ?? 0) - (b.part?.position ?? 0) || a.position - b.position);
  const panelists = new Map(roles.map(({ panelist }) => [panelist.id, panelist]));
  return [...panelists.values()].map((panelist) => ({ guid: guidOf('panelist', panelist.id), name: panelist.name, biography: reading.text(panelist, 'bio') }));
}

function frabSchedule(event: ScheduleEvent, reading: Reading): FrabSchedule {
  const zone = event.timeZone;
  const acronym = acronymOf(event.slug);
  const room = roomName(event, reading);
  // The event's documents concern every session, and frab has attachments per event only.
  const attachments = event.documents.map((document) => ({ url: reading.text(document, 'url')!, title: reading.text(document, 'title') }));
  const tracks = new Map(
    event.sessions.flatMap(({ mechanismType: type }) => (type ? [[type.code, { name: reading.text(type, 'name'), slug: type.code.toLowerCase().replaceAll('_', '-') }] as const] : [])),
  );
  const sessionsByDate = new Map(buildAgenda(zone, event.sessions, []).map((day) => [day.date, day.items.map((item) => item.session!)]));
  // The event's days, from the one its first instant falls on to the one its last does (an end at
  // midnight adds no day), and any a session lies on outside them, so that none is left out.
  const bounds = [wallClock(event.startsAt, zone).date, wallClock(new Date(event.endsAt.getTime() - 1), zone).date, ...sessionsByDate.keys()].sort();
  const [firstDate, lastDate] = [bounds[0]!, bounds.at(-1)!];
  const dates: string[] = [];
  for (let day = Date.parse(firstDate); day <= Date.parse(lastDate); day += 86_400_000) dates.push(new Date(day).toISOString().slice(0, 10));

  const frabEvent = (session: ScheduleSession, date: string): FrabEvent => ({
    guid: guidOf('session', session.id),
    id: session.number,
    date: zonedIso(session.startsAt, zone),
    start: wallClock(session.startsAt, zone).time.slice(0, 5),
    duration: hoursAndMinutes(session.endsAt.getTime() - session.startsAt.getTime()),
    room,
    slug: `${acronym}-${session.number}-${slugify(reading.text(session, 'title')) || 'session'}`,
    url: publicUrl(`embed/${event.slug}?day=${date}`).href,
    title: reading.text(session, 'title'),
    subtitle: labels[reading.labels].session(session.number),
    track: session.mechanismType && reading.text(session.mechanismType, 'name'),
    type: session.format ? typeOf[session.format] : 'session',
    language: reading.languageOf(session, 'title'),
    abstract: reading.text(session, 'description') ?? '',
    description: partsText(session, reading),
    persons: personsOf(session, reading),
    attachments,
  });

  return {
    version: String(event.revision),
    url: publicUrl(`events/${event.slug}/schedule.xml`).href,
    baseUrl: publicUrl('').href,
    conference: {
      acronym,
      title: reading.text(event, 'title'),
      start: firstDate,
      end: lastDate,
      timeZone: zone,
      tracks: [...tracks.values()],
      room: {
        name: room,
        guid: guidOf('room', event.id),
        description: location(event),
      },
    },
    days: dates.map((date, index) => {
      const next = new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);
      return {
        index: index + 1,
        date,
        start: zonedIso(startOfLocalDay(date, zone), zone),
        end: zonedIso(startOfLocalDay(next, zone), zone),
        events: (sessionsByDate.get(date) ?? []).map((session) => frabEvent(session, date)),
      };
    }),
  };
}

/** Apps draw their grid in slots of this length; pretalx writes the same. */
const timeslotDuration = '00:05';

/**
 * xmlbuilder2 escapes `<`, `>` and `"`, and drops what XML 1.0 cannot hold at all (control
 * characters but tab and line breaks), but leaves an `&` that starts something entity-like as it
 * is (oozcitak/xmlbuilder2#117): `&nbsp;` in a title would make the document malformed, `&lt;`
 * would read as `<`. Escaping every `&` first leaves the library only `&amp;`s, which it keeps.
 */
const literal = (text: string | number) => String(text).replaceAll('&', '&amp;');

/** An element with its attributes and text, every one of them written literally. */
function add(parent: XMLBuilder, name: string, attributes: Record<string, string | number> = {}, text?: string): XMLBuilder {
  const element = parent.ele(name, Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, literal(value)])));
  return text === undefined ? element : element.txt(literal(text));
}

/** The XML, element by element as the XSD orders them. */
function scheduleXml(schedule: FrabSchedule): string {
  const { conference } = schedule;
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' }).ele('schedule');
  add(root, 'generator', { name: 'event-api' });
  add(root, 'url', {}, schedule.url);
  add(root, 'version', {}, schedule.version);
  const head = add(root, 'conference');
  const about = {
    acronym: conference.acronym, title: conference.title, start: conference.start, end: conference.end, days: String(schedule.days.length),
    timeslot_duration: timeslotDuration, base_url: schedule.baseUrl, time_zone_name: conference.timeZone,
  };
  for (const [name, value] of Object.entries(about)) add(head, name, {}, value);
  for (const track of conference.tracks) add(head, 'track', track);
  for (const day of schedule.days) {
    const room = add(add(root, 'day', { index: day.index, date: day.date, start: day.start, end: day.end }), 'room', { name: conference.room.name, guid: conference.room.guid });
    for (const event of day.events) {
      const element = add(room, 'event', { guid: event.guid, id: event.id });
      const fields = {
        date: event.date, start: event.start, duration: event.duration, room: event.room, slug: event.slug, url: event.url, title: event.title,
        subtitle: event.subtitle, track: event.track ?? '', type: event.type, language: event.language, abstract: event.abstract, description: event.description,
      };
      for (const [name, value] of Object.entries(fields)) if (value !== null) add(element, name, {}, value);
      const persons = add(element, 'persons');
      for (const person of event.persons) add(persons, 'person', { guid: person.guid }, person.name);
      if (event.attachments.length) {
        const attachments = add(element, 'attachments');
        for (const attachment of event.attachments) add(attachments, 'attachment', { href: attachment.url }, attachment.title);
      }
    }
  }
  return root.end({ prettyPrint: true });
}

/** The JSON, as the published schedule JSON schema (and pretalx) shapes it. */
function scheduleJson(schedule: FrabSchedule): string {
  const { conference } = schedule;
  return JSON.stringify({
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: { name: 'event-api' },
    schedule: {
      version: schedule.version,
      base_url: schedule.baseUrl,
      conference: {
        acronym: conference.acronym,
        title: conference.title,
        start: conference.start,
        end: conference.end,
        daysCount: schedule.days.length,
        timeslot_duration: timeslotDuration,
        time_zone_name: conference.timeZone,
        tracks: conference.tracks,
        rooms: [conference.room],
        days: schedule.days.map((day) => ({
          index: day.index,
          date: day.date,
          day_start: day.start,
          day_end: day.end,
          rooms: {
            [conference.room.name]: day.events.map(({ persons, attachments, ...event }) => ({
              ...event,
              // `name` for pretalx's readers, `public_name` for frab's.
              persons: persons.map((person) => ({ guid: person.guid, name: person.name, public_name: person.name, biography: person.biography })),
              links: [],
              attachments,
            })),
          },
        })),
      },
    },
  });
}

/** The event's schedule as frab's XML or JSON, in `language` where it has text in it, with the languages its text is in. */
export function frabScheduleFile(event: ScheduleEvent, language: string, format: 'xml' | 'json'): { text: string; language: string } {
  const reading = readingIn(language, event);
  const schedule = frabSchedule(event, reading);
  return { text: format === 'xml' ? scheduleXml(schedule) : scheduleJson(schedule), language: reading.shown.languages.join(', ') };
}
