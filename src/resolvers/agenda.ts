interface Timed {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
}

export type AgendaItem<S extends Timed = Timed> =
  | { kind: 'SESSION'; title: string; startsAt: Date; endsAt: Date; session: S }
  | { kind: 'BREAK'; title: string; startsAt: Date; endsAt: Date; session: null; breakId: string };

export interface AgendaDay<S extends Timed = Timed> {
  /** YYYY-MM-DD in the event's time zone. */
  date: string;
  items: AgendaItem<S>[];
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

/**
 * The agenda as participants read it: one entry per day in the event's time zone (not UTC, not
 * the viewer's), sessions and breaks in time order within each day.
 */
export function buildAgenda<S extends Timed>(timeZone: string, sessions: S[], breaks: Timed[], onlyDay?: string): AgendaDay<S>[] {
  const items: AgendaItem<S>[] = [
    ...sessions.map((session) => ({ kind: 'SESSION' as const, title: session.title, startsAt: session.startsAt, endsAt: session.endsAt, session })),
    ...breaks.map((item) => ({ kind: 'BREAK' as const, title: item.title, startsAt: item.startsAt, endsAt: item.endsAt, session: null, breakId: item.id })),
  ].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.endsAt.getTime() - b.endsAt.getTime());
  const days = new Map<string, AgendaItem<S>[]>();
  for (const item of items) {
    const date = localDate(item.startsAt, timeZone);
    if (onlyDay && date !== onlyDay) continue;
    days.set(date, [...(days.get(date) ?? []), item]);
  }
  return [...days].map(([date, dayItems]) => ({ date, items: dayItems }));
}
