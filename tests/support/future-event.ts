import type { EventImport } from '../../src/rules/event-file.js';

const hour = 3_600_000;

/**
 * An event that takes registrations now: session 1 starts in an hour (inside the default 24-hour
 * join-link lead time), session 2 in ten days, with a break between, and limited seats.
 */
export function futureEvent(slug: string, seats: { roomSeats?: number; remoteSeats?: number } = {}, now = Date.now()): EventImport {
  const at = (hours: number) => new Date(now + hours * hour).toISOString();
  return {
    event: {
      slug,
      title: `Consultation ${slug}`,
      organizer: 'OHCHR',
      status: 'CONFIRMED',
      startsAt: at(1),
      endsAt: at(10 * 24 + 3),
      timeZone: 'Europe/Zurich',
      format: 'HYBRID',
      interpretationLanguages: ['en', 'es', 'fr'],
      registrationRequired: true,
      sessions: [
        { number: 1, title: 'Soon', startsAt: at(1), endsAt: at(3), zoomJoinUrl: 'https://zoom.example/j/111', ...seats },
        { number: 2, title: 'Later', startsAt: at(10 * 24), endsAt: at(10 * 24 + 3), zoomJoinUrl: 'https://zoom.example/j/222', ...seats },
      ],
      breaks: [{ title: 'Break', startsAt: at(3), endsAt: at(4) }],
    },
  };
}
