import type { Plugin } from 'graphql-yoga';
import ical, { ICalEventStatus, type ICalLuxonDateTimeStub } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { prisma } from '../db/client.js';
import type { Event, Part, Session } from '../generated/prisma/client.js';
import type { EventStatus } from '../generated/prisma/enums.js';
import { wallClock } from '../resolvers/agenda.js';
import { registrationIdForFeedKey } from '../resolvers/registration/loaders.js';
import { zoomLinkFor } from '../resolvers/registration/rules.js';

/** Where each feed is served, relative to the API's address: src/schema/calendar.ts links to them. */
export const feedPaths = {
  event: (slug: string) => `events/${slug}.ics`,
  session: (slug: string, number: number) => `events/${slug}/sessions/${number}.ics`,
  registration: (feedKey: string) => `registrations/${feedKey}.ics`,
};

// Slugs and feed keys are URL-safe as they are: nothing to decode.
const eventRoute = /^\/events\/([^/]+)\.ics$/;
const sessionRoute = /^\/events\/([^/]+)\/sessions\/(\d{1,9})\.ics$/;
const registrationRoute = /^\/registrations\/([^/]+)\.ics$/;

const publicCaching = 'public, max-age=60, stale-while-revalidate=300';

// A fixed domain, not the request's host: a session keeps one UID however its feed is reached.
const uidDomain = 'event-api';

const statusOf: Record<EventStatus, ICalEventStatus> = {
  DRAFT: ICalEventStatus.TENTATIVE,
  CONFIRMED: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

/** What every feed shows of a session; the join link is never loaded for a public feed. */
type FeedSession = Omit<Session, 'zoomJoinUrl'> & { parts: Part[] };
const feedSession = { omit: { zoomJoinUrl: true }, include: { parts: { orderBy: { position: 'asc' } } } } as const;

/** One VEVENT: a session, and what a personal feed adds to it. */
interface Entry {
  session: FeedSession;
  /** DTSTAMP and LAST-MODIFIED: the event's last change unless the entry changed since. */
  modifiedAt?: Date;
  status?: ICalEventStatus;
  notes?: string[];
  url?: string | null;
}

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

function description(session: FeedSession, notes: string[]): string {
  const parts = session.parts.map((part) => [`Part ${part.position}${part.title ? `: ${part.title}` : ''}`, part.description].filter(Boolean).join('\n'));
  return [...notes, session.description, ...parts].filter(Boolean).join('\n\n');
}

/**
 * RFC 5545 TEXT (3.3.11): backslash, `;`, `,` and line breaks escaped, other control characters
 * dropped. ical-generator escapes what it writes of each event, but writes the calendar's own
 * NAME, X-WR-CALNAME and X-WR-CALDESC as given, where a line break would start a new property.
 */
function icalText(text: string): string {
  return text
    .replace(/[\\;,]/g, (character) => `\\${character}`)
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

function feed(event: Event, name: string, entries: Entry[]): string {
  const zone = vtimezone(event.timeZone);
  const calendar = ical({
    name: icalText(name),
    description: event.summary === null ? null : icalText(event.summary),
    prodId: { company: 'event-api', product: 'calendar-feeds' },
    // No calendar-wide zone name: ical-generator would write DTSTAMP and LAST-MODIFIED in it, where
    // RFC 5545 wants UTC. The generator still adds a VTIMEZONE for the zone the sessions name.
    timezone: zone && { name: null, generator: () => zone.block },
  });
  for (const { session, modifiedAt = event.updatedAt, status = statusOf[event.status], notes = [], url = null } of entries) {
    calendar.createEvent({
      id: `session-${session.id}@${uidDomain}`,
      sequence: session.sequence,
      timezone: zone?.tzid ?? null,
      start: zonedInstant(session.startsAt),
      end: zonedInstant(session.endsAt),
      stamp: modifiedAt,
      lastModified: modifiedAt,
      summary: `Session ${session.number}: ${session.title}`,
      description: description(session, notes),
      location: location(event),
      status,
      url,
    });
  }
  return calendar.toString();
}

/**
 * A registrant's sessions, except cancelled ones, with where they stand and their join links once
 * released: their personal feed, and the calendar a confirmation mail attaches.
 */
export async function registrationCalendar(id: string, now: Date): Promise<string | null> {
  const registration = await prisma.registration.findUnique({
    where: { id },
    select: {
      event: true,
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
    const mode = choice.attendanceMode === 'REMOTE' ? 'remote' : 'in person';
    const notes = [`Your registration: ${choice.status.toLowerCase()}, ${mode}.`];
    if (link?.url) notes.push(`Join online: ${link.url}`);
    else if (link && link.releaseZoomLinkAt > now) notes.push(`The join link is shared here from ${link.releaseZoomLinkAt.toISOString()}.`);
    // A released link changes the entry at its release time, with nothing written then.
    const changes = [event.updatedAt, choice.statusChangedAt, ...(link?.url ? [link.releaseZoomLinkAt] : [])];
    return {
      session: choice.session,
      modifiedAt: new Date(Math.max(...changes.map((date) => date.getTime()))),
      status: choice.status === 'WAITLISTED' && event.status === 'CONFIRMED' ? ICalEventStatus.TENTATIVE : statusOf[event.status],
      notes,
      url: link?.url,
    };
  });
  return feed(event, `${event.title}: your sessions`, entries);
}

async function personalFeed(feedKey: string, now: Date): Promise<string | null> {
  const id = await registrationIdForFeedKey(feedKey);
  return id && registrationCalendar(id, now);
}

function calendarResponse(ics: string, cacheControl: string): Response {
  return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': cacheControl } });
}

function notFound(message: string, cacheControl: string): Response {
  return new Response(`${message}\n`, { status: 404, headers: { 'cache-control': cacheControl } });
}

/** An event's feed, or one session's, from one query. */
async function publicFeed(slug: string, number?: number): Promise<Response> {
  const event = await prisma.event.findUnique({
    where: { slug },
    include: { sessions: { ...feedSession, where: number === undefined ? {} : { number }, orderBy: [{ startsAt: 'asc' }, { number: 'asc' }] } },
  });
  if (!event) return notFound(`No event has the slug "${slug}".`, publicCaching);
  if (number === undefined) return calendarResponse(feed(event, event.title, event.sessions.map((session) => ({ session }))), publicCaching);
  const [session] = event.sessions;
  if (!session) return notFound(`The event "${slug}" has no session ${number}.`, publicCaching);
  return calendarResponse(feed(event, `${event.title}: Session ${number}`, [{ session }]), publicCaching);
}

/**
 * iCalendar (RFC 5545) feeds, one VEVENT per session (breaks are not events), times in the event's
 * zone: `GET /events/<slug>.ics`, `GET /events/<slug>/sessions/<number>.ics`, and a registrant's own
 * `GET /registrations/<feed key>.ics` (see `calendarFeedKey`), which is never cached.
 */
export function calendarFeeds(): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET') return;
      const feedKey = registrationRoute.exec(url.pathname)?.[1];
      const [, slug, number] = sessionRoute.exec(url.pathname) ?? eventRoute.exec(url.pathname) ?? [];
      if (feedKey) {
        const ics = await personalFeed(feedKey, new Date());
        endResponse(ics === null ? notFound('No registration has this calendar feed.', 'private, no-store') : calendarResponse(ics, 'private, no-store'));
      } else if (slug) {
        endResponse(await publicFeed(slug, number === undefined ? undefined : Number(number)));
      }
    },
  };
}
