import ical, { foldLines, ICalCalendarMethod, ICalEventStatus, type ICalLuxonDateTimeStub } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { prisma } from '../db/client.js';
import { labels, languageOf, momentInWords, type Language } from '../embed/agenda-view.js';
import type { AttendanceMode, Event, Part, Session, SessionRegistrationStatus } from '../generated/prisma/client.js';
import type { EventStatus } from '../generated/prisma/enums.js';
import { wallClock } from '../rules/agenda.js';
import { zoomLinkFor } from '../rules/join-links.js';
import { contentLanguageFor, ShownLanguages, type Translatable, type Translated } from '../rules/translation.js';

// iCalendar (RFC 5545) as the API writes it: the public feeds, a registrant's own feed, and the
// calendar a confirmation mail attaches. Served by src/http/calendar.ts, attached by src/mail.

/** Where each feed is served, relative to the API's address: src/schema/calendar.ts links to them, src/http/calendar.ts serves them. */
export const feedPaths = {
  event: (slug: string) => `events/${slug}.ics`,
  session: (slug: string, number: number) => `events/${slug}/sessions/${number}.ics`,
  registration: (feedKey: string) => `registrations/${feedKey}.ics`,
};

// A fixed domain, not the request's host: a session keeps one UID however its feed is reached.
const uidDomain = 'event-api';

const statusOf: Record<EventStatus, ICalEventStatus> = {
  DRAFT: ICalEventStatus.TENTATIVE,
  CONFIRMED: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

/** What every feed shows of a session; the join link is never loaded for a public feed. */
type FeedSession = Omit<Session, 'zoomJoinUrl'> & { parts: Part[] };
export const feedSession = { omit: { zoomJoinUrl: true }, include: { parts: { orderBy: { position: 'asc' } } } } as const;

/** What a personal feed says of the registrant's place in a session. */
interface Registered {
  status: SessionRegistrationStatus;
  attendanceMode: AttendanceMode;
  joinUrl: string | null;
  /** When the join link will be shared, if it is not yet. */
  joinFrom: Date | null;
}

/** One VEVENT: a session, and what a personal feed adds to it. */
interface Entry {
  session: FeedSession;
  /** DTSTAMP and LAST-MODIFIED: the event's last change unless the entry changed since. */
  modifiedAt?: Date;
  status?: ICalEventStatus;
  registered?: Registered;
  url?: string | null;
}

interface FeedWords {
  yourSessions: string;
  registration: (registered: Registered) => string;
  join: string;
  /** When the link will be given, in words in the event's zone. */
  joinFrom: (at: string) => string;
}

/** How a feed words a standing other than confirmed. */
type Standing = Partial<Record<string, string>>;

/** A feed's own words, in the languages the widget has labels in. */
const words: Record<Language, FeedWords> = {
  en: {
    yourSessions: 'your sessions',
    registration: ({ status, attendanceMode }) => `Your registration: ${({ WAITLISTED: 'waitlisted', PENDING: 'awaiting approval' } as Standing)[status] ?? 'confirmed'}, ${attendanceMode === 'REMOTE' ? 'remote' : 'in person'}.`,
    join: 'Join online: ',
    joinFrom: (at) => `The link to join online will be given here on ${at}.`,
  },
  es: {
    yourSessions: 'sus sesiones',
    registration: ({ status, attendanceMode }) => `Su inscripción: ${({ WAITLISTED: 'en lista de espera', PENDING: 'pendiente de aprobación' } as Standing)[status] ?? 'confirmada'}, ${attendanceMode === 'REMOTE' ? 'a distancia' : 'presencial'}.`,
    join: 'Unirse en línea: ',
    joinFrom: (at) => `El enlace para unirse en línea se dará aquí el ${at}.`,
  },
  fr: {
    yourSessions: 'vos séances',
    registration: ({ status, attendanceMode }) => `Votre inscription\u202f: ${({ WAITLISTED: 'en liste d’attente', PENDING: 'en attente d’approbation' } as Standing)[status] ?? 'confirmée'}, ${attendanceMode === 'REMOTE' ? 'à distance' : 'en présentiel'}.`,
    join: 'Rejoindre en ligne\u202f: ',
    joinFrom: (at) => `Le lien pour rejoindre la séance en ligne sera donné ici le ${at}.`,
  },
};

/**
 * An instant as ical-generator reads a Luxon DateTime: it writes a native Date's TZID times in the
 * server's own zone, but asks a Luxon value for its reading in the zone it names. Intl does the
 * zone arithmetic, so Luxon itself is not needed.
 */
function zonedInstant(instant: Date, timeZone = 'UTC'): ICalLuxonDateTimeStub {
  const { date, time } = wallClock(instant, timeZone);
  const [yyyy, LL, dd] = date.split('-') as [string, string, string];
  const [HH, mm, ss] = time.split(':') as [string, string, string];
  const tokens: Record<string, string> = { yyyy, LL, dd, HH, mm, ss };
  return {
    isValid: true,
    zone: { type: 'iana' },
    setZone: (zone) => zonedInstant(instant, zone),
    toFormat: (pattern) => pattern.replace(/yyyy|LL|dd|HH|mm|ss/g, (token) => tokens[token]!),
    toJSDate: () => instant,
    toJSON: () => instant.toISOString(),
  };
}

/**
 * The zone's VTIMEZONE and the TZID it defines (the library may give a zone its canonical name,
 * Asia/Kolkata for Asia/Calcutta), or null for a zone it doesn't know: times are then in UTC.
 */
function vtimezone(timeZone: string): { tzid: string; block: string } | null {
  const found = tzlib_get_ical_block(timeZone);
  if (!Array.isArray(found) || !found[0] || !found[1]) return null;
  return { block: found[0], tzid: found[1].replace(/^TZID=/, '') };
}

/** Where the event happens, in the room and online: `Palais des Nations, Room XVIII; online: Zoom`. */
export function location(event: Event): string | null {
  const place = [event.venueName, event.venueRoom].filter(Boolean).join(', ');
  return [place, event.onlinePlatform && `online: ${event.onlinePlatform}`].filter(Boolean).join('; ') || null;
}

/** How a feed reads a row's text: in its language where the row has it, else in the event's default. */
type TextReader = <Row extends Translatable, Field extends keyof Row & string>(row: Row, field: Field) => Translated<Row[Field]>;

/**
 * A session's SUMMARY and DESCRIPTION in `language` where it has text in it. Each names the
 * language of the event's text in it (the title; the first description), or of the feed's words
 * where it holds none. The feed's words (labels, where the registrant stands, the join link) are in
 * `wordsIn`, the registrant's language, or, in a public feed, in the language of the text they go with.
 */
function sessionText(session: FeedSession, language: string, text: TextReader, registered: Registered | undefined, wordsIn: Language | undefined, timeZone: string) {
  const title = text(session, 'title');
  const about = text(session, 'description');
  const parts = session.parts.map((part) => ({ position: part.position, title: text(part, 'title'), description: text(part, 'description') }));
  const firstText = [about, ...parts.flatMap((part) => [part.title, part.description])].find((found) => found.value);
  const descriptionLanguage = firstText?.language ?? wordsIn ?? language;
  const t = labels[wordsIn ?? languageOf(title.language)];
  const d = labels[wordsIn ?? languageOf(descriptionLanguage)];
  const w = words[wordsIn ?? languageOf(descriptionLanguage)];
  const notes = registered ? [w.registration(registered)] : [];
  if (registered?.joinUrl) notes.push(`${w.join}${registered.joinUrl}`);
  else if (registered?.joinFrom) notes.push(w.joinFrom(momentInWords(registered.joinFrom, timeZone, wordsIn ?? languageOf(descriptionLanguage))));
  const partLines = parts.map((part) => [`${d.part(part.position)}${part.title.value ? `${d.colon}${part.title.value}` : ''}`, part.description.value].filter(Boolean).join('\n'));
  return {
    summary: { text: `${t.session(session.number)}${t.colon}${title.value}`, language: title.language },
    description: { text: [...notes, about.value, ...partLines].filter(Boolean).join('\n\n'), language: descriptionLanguage },
  };
}

/** A parameter value as RFC 5545 writes one (3.2): quoted unless it is plain letters, digits and hyphens. */
function parameterValue(value: string): string {
  return /^[A-Za-z0-9-]+$/.test(value) ? value : `"${value.replace(/["\x00-\x1f\x7f]/g, '')}"`;
}

/**
 * What no line of a feed may hold, wherever event text put it: control characters but tab (RFC
 * 5545's CONTROL, and C1) and noncharacters (U+FFFE…). ical-generator escapes text but keeps
 * them; the frab export's XML writer drops them too.
 */
const forbiddenInLines = /(?!\t)\p{Cc}|\p{Noncharacter_Code_Point}/gu;

/**
 * `LANGUAGE` (RFC 5545 3.2.10) on the calendar's NAME and on each VEVENT's SUMMARY and
 * DESCRIPTION, which ical-generator can't write: its output is unfolded, the parameter added, and
 * folded again with ical-generator's own folding. Characters no line may hold go on the way.
 */
function withLanguages(ics: string, nameLanguage: string, entries: { summary: string; description: string }[]): string {
  let entry = -1;
  let inEntry = false;
  const marked = (line: string, property: string, language: string) => `${property};LANGUAGE=${parameterValue(language)}${line.slice(property.length)}`;
  const lines = ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .map((line) => line.replace(forbiddenInLines, ''))
    .map((line) => {
      if (line === 'BEGIN:VEVENT') [entry, inEntry] = [entry + 1, true];
      if (line === 'END:VEVENT') inEntry = false;
      const languages = inEntry ? entries[entry] : undefined;
      if (!inEntry && line.startsWith('NAME:')) return marked(line, 'NAME', nameLanguage);
      if (languages && line.startsWith('SUMMARY:')) return marked(line, 'SUMMARY', languages.summary);
      if (languages && line.startsWith('DESCRIPTION:')) return marked(line, 'DESCRIPTION', languages.description);
      return line;
    });
  return foldLines(lines.join('\r\n'));
}

/**
 * RFC 5545 TEXT (3.3.11): backslash, `;`, `,` and line breaks escaped (other control characters
 * are dropped from every line, see `forbiddenInLines`). ical-generator escapes what it writes of
 * each event, but writes the calendar's own NAME, X-WR-CALNAME and X-WR-CALDESC as given, where a
 * line break would start a new property.
 */
function icalText(text: string): string {
  return text.replace(/[\\;,]/g, (character) => `\\${character}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** A feed, and what its Content-Language names: the languages its text is in (see `ShownLanguages`). */
export interface Feed {
  ics: string;
  language: string;
}

/** How a personal calendar differs from a public feed. */
interface Personal {
  /** The language of the feed's own words: the registrant's. */
  wordsIn: Language;
  /** METHOD: PUBLISH, which a calendar sent by mail needs (RFC 6047) and a feed may have. */
  method: ICalCalendarMethod;
}

/** A feed of `entries`, its text in `language` where it has some; `name` says what beside the event's title. */
export function feed(
  event: Event,
  language: string,
  entries: Entry[],
  name: (t: (typeof labels)[Language], feedWords: FeedWords) => string | null = () => null,
  personal?: Personal,
): Feed {
  const shown = new ShownLanguages();
  const read: TextReader = (row, field) => shown.read(row, field, language, event.defaultLanguage);
  const zone = vtimezone(event.timeZone);
  const title = read(event, 'title');
  const summary = read(event, 'summary');
  const wordsIn = personal?.wordsIn ?? languageOf(title.language);
  const suffix = name(labels[wordsIn], words[wordsIn]);
  const calendar = ical({
    name: icalText(suffix ? `${title.value}${labels[wordsIn].colon}${suffix}` : title.value),
    method: personal?.method ?? null,
    description: summary.value === null ? null : icalText(summary.value),
    prodId: { company: 'event-api', product: 'calendar-feeds' },
    // No calendar-wide zone name: ical-generator would write DTSTAMP and LAST-MODIFIED in it, where
    // RFC 5545 wants UTC. The generator still adds a VTIMEZONE for the zone the sessions name.
    timezone: zone && { name: null, generator: () => zone.block },
  });
  const languages: { summary: string; description: string }[] = [];
  for (const { session, modifiedAt = event.updatedAt, status = statusOf[event.status], registered, url = null } of entries) {
    const text = sessionText(session, language, read, registered, personal?.wordsIn, event.timeZone);
    languages.push({ summary: text.summary.language, description: text.description.language });
    calendar.createEvent({
      id: `session-${session.id}@${uidDomain}`,
      sequence: session.sequence,
      timezone: zone?.tzid ?? null,
      start: zonedInstant(session.startsAt),
      end: zonedInstant(session.endsAt),
      stamp: modifiedAt,
      lastModified: modifiedAt,
      summary: text.summary.text,
      description: text.description.text,
      location: location(event),
      status,
      url,
    });
  }
  return { ics: withLanguages(calendar.toString(), title.language, languages), language: shown.languages.join(', ') };
}

/**
 * A registrant's sessions, except cancelled ones, with where they stand and their join links once
 * released: their personal feed, and the calendar a confirmation mail attaches.
 */
export async function registrationCalendar(id: string, now: Date): Promise<Feed | null> {
  const registration = await prisma.registration.findUnique({
    where: { id },
    select: {
      event: true,
      interpretationLanguage: true,
      sessions: {
        where: { status: { not: 'CANCELLED' } },
        include: { session: { include: feedSession.include } },
        orderBy: [{ session: { startsAt: 'asc' } }, { id: 'asc' }],
      },
    },
  });
  if (!registration) return null;
  const { event } = registration;
  const entries = registration.sessions.map((choice): Entry => {
    const link = zoomLinkFor(choice, choice.session, event.zoomLinkLeadMinutes, now);
    const registered = {
      status: choice.status,
      attendanceMode: choice.attendanceMode,
      joinUrl: link?.url ?? null,
      joinFrom: link && !link.url && link.releaseZoomLinkAt > now ? link.releaseZoomLinkAt : null,
    };
    // A released link changes the entry at its release time, with nothing written then.
    const changes = [event.updatedAt, choice.statusChangedAt, ...(link?.url ? [link.releaseZoomLinkAt] : [])];
    return {
      session: choice.session,
      modifiedAt: new Date(Math.max(...changes.map((date) => date.getTime()))),
      status: (choice.status === 'WAITLISTED' || choice.status === 'PENDING') && event.status === 'CONFIRMED' ? ICalEventStatus.TENTATIVE : statusOf[event.status],
      registered,
      url: link?.url,
    };
  });
  // The feed's words in the registrant's language, as their mail's; the event's text in it where it has some.
  const personal = { wordsIn: languageOf(registration.interpretationLanguage ?? 'en'), method: ICalCalendarMethod.PUBLISH };
  return feed(event, contentLanguageFor(registration.interpretationLanguage, event), entries, (_t, feedWords) => feedWords.yourSessions, personal);
}
