import { feedPaths } from '../formats/calendar.js';
import { publicUrl } from '../public-url.js';
import { calendarFeedKey } from '../rules/registrant-keys.js';
import { builder } from './builder.js';
import { Event } from './event.js';
import { Registration } from './registration.js';
import { Session } from './session.js';

const CalendarLinks = builder.objectRef<{ icsUrl: URL; webcalUrl: URL }>('CalendarLinks').implement({
  description: 'An iCalendar (RFC 5545) feed: a calendar app subscribed to it follows every change.',
  fields: (t) => ({
    icsUrl: t.expose('icsUrl', { type: 'URL', description: 'The feed itself: to download, or to add to a calendar "from URL".' }),
    webcalUrl: t.expose('webcalUrl', { type: 'URL', description: 'The same feed with the `webcal:` scheme: a link that opens the viewer\'s calendar app to subscribe.' }),
  }),
});

/** A feed's links, absolute (see `publicUrl`). */
function linksTo(path: string) {
  const icsUrl = publicUrl(path);
  // The URL setter can't turn an http(s) URL into a webcal one: replace the scheme in the text.
  return { icsUrl, webcalUrl: new URL(icsUrl.href.replace(/^https?:/, 'webcal:')) };
}

builder.prismaObjectField(Event, 'calendar', (t) =>
  t.field({
    type: CalendarLinks,
    description: 'The event\'s sessions as a calendar feed (breaks are not in it), in the event\'s time zone.',
    select: { slug: true },
    resolve: (event) => linksTo(feedPaths.event(event.slug)),
  }),
);

builder.prismaObjectField(Session, 'calendar', (t) =>
  t.field({
    type: CalendarLinks,
    description: 'This session alone as a calendar feed.',
    select: { number: true, event: { select: { slug: true } } },
    resolve: (session) => linksTo(feedPaths.session(session.event.slug, session.number)),
  }),
);

builder.prismaObjectField(Registration, 'calendar', (t) =>
  t.field({
    type: CalendarLinks,
    nullable: true,
    description:
      'The registrant\'s own feed, read-only: their sessions (not cancelled ones) with where they stand, and the join link once released.',
    select: { id: true, manageTokenHash: true },
    resolve: (registration) => {
      const key = calendarFeedKey(registration);
      return key ? linksTo(feedPaths.registration(key)) : null;
    },
  }),
);
