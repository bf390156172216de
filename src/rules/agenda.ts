import { prisma } from '../db/client.js';
import type { Break, Session } from '../generated/prisma/client.js';

interface Timed {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
}

export type AgendaItem<S extends Timed = Timed, B extends Timed = Timed> =
  | { kind: 'SESSION'; title: string; startsAt: Date; endsAt: Date; session: S; break: null }
  | { kind: 'BREAK'; title: string; startsAt: Date; endsAt: Date; session: null; break: B };

/**
 * An agenda item's own key, inside its global ID: the kind and the ID of the session or break it
 * shows. Its own, because a Relay store needs every `id` to name one object of one type; the same
 * session or break always gives the same key.
 */
export function agendaItemKey(item: AgendaItem): string {
  return item.kind === 'SESSION' ? `SESSION:${item.session.id}` : `BREAK:${item.break.id}`;
}

function sessionItem<S extends Timed>(session: S): AgendaItem<S, never> {
  return { kind: 'SESSION', title: session.title, startsAt: session.startsAt, endsAt: session.endsAt, session, break: null };
}

function breakItem<B extends Timed>(item: B): AgendaItem<never, B> {
  return { kind: 'BREAK', title: item.title, startsAt: item.startsAt, endsAt: item.endsAt, session: null, break: item };
}

/** The agenda items with these keys (`node(id:)`), null for one whose session or break is gone: two queries at most. */
export async function loadAgendaItems(keys: string[]): Promise<(AgendaItem<Session, Break> | null)[]> {
  const idsOf = (kind: string) => keys.flatMap((key) => (key.startsWith(`${kind}:`) ? [key.slice(kind.length + 1)] : []));
  const [sessionIds, breakIds] = [idsOf('SESSION'), idsOf('BREAK')];
  const [sessions, breaks] = await Promise.all([
    sessionIds.length ? prisma.session.findMany({ where: { id: { in: sessionIds } } }) : [],
    breakIds.length ? prisma.break.findMany({ where: { id: { in: breakIds } } }) : [],
  ]);
  const items = new Map<string, AgendaItem<Session, Break>>([
    ...sessions.map((session) => [`SESSION:${session.id}`, sessionItem(session)] as const),
    ...breaks.map((row) => [`BREAK:${row.id}`, breakItem(row)] as const),
  ]);
  return keys.map((key) => items.get(key) ?? null);
}

export interface AgendaDay<S extends Timed = Timed, B extends Timed = Timed> {
  /** YYYY-MM-DD in the event's time zone. */
  date: string;
  items: AgendaItem<S, B>[];
}

// Building a formatter costs far more than using one: keep one per zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of `instant` in `timeZone`, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** What a clock in `timeZone` shows at `instant`, and its offset from UTC then. */
export interface WallClock {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS, 00 to 23 hours */
  time: string;
  /** +HH:MM or -HH:MM */
  offset: string;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
    });
    wallClockFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map(({ type, value }) => [type, value]));
  // `GMT+02:00`, and plain `GMT` where the offset is zero.
  const offset = part.timeZoneName!.replace('GMT', '') || '+00:00';
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}:${part.second}`, offset };
}

/** ISO 8601 with the zone's offset, as a clock there reads it: `2021-09-23T10:00:00+02:00`. */
export function zonedIso(instant: Date, timeZone: string): string {
  const { date, time, offset } = wallClock(instant, timeZone);
  return `${date}T${time}${offset}`;
}

/**
 * The instant a day begins in `timeZone` (its first instant, where a clock change skips midnight):
 * midnight read as UTC, moved by the zone's offset, checked again at the instant found.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const offsetAt = (at: number) => {
    const clock = wallClock(new Date(at), timeZone);
    return Date.parse(`${clock.date}T${clock.time}Z`) - at;
  };
  const first = midnight - offsetAt(midnight);
  return new Date(midnight - offsetAt(first));
}

/**
 * The agenda as participants read it: one entry per day in the event's time zone (not UTC, not
 * the viewer's), sessions and breaks in time order within each day.
 */
export function buildAgenda<S extends Timed, B extends Timed>(timeZone: string, sessions: S[], breaks: B[], onlyDay?: string): AgendaDay<S, B>[] {
  const items: AgendaItem<S, B>[] = [...sessions.map(sessionItem), ...breaks.map(breakItem)].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.endsAt.getTime() - b.endsAt.getTime(),
  );
  const days = new Map<string, AgendaItem<S, B>[]>();
  for (const item of items) {
    const date = localDate(item.startsAt, timeZone);
    if (onlyDay && date !== onlyDay) continue;
    days.set(date, [...(days.get(date) ?? []), item]);
  }
  return [...days].map(([date, dayItems]) => ({ date, items: dayItems }));
}
