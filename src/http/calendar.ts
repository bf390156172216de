import type { Plugin } from 'graphql-yoga';
import { prisma } from '../db/client.js';
import { feed, feedSession, registrationCalendar, type Feed } from '../formats/calendar.js';
import { isIntlLanguageTag } from '../rules/language-tags.js';
import { registrationIdForFeedKey } from '../rules/registrant-keys.js';
import { contentLanguageFor } from '../rules/translation.js';

// Slugs and feed keys are URL-safe as they are: nothing to decode.
const eventRoute = /^\/events\/([^/]+)\.ics$/;
const sessionRoute = /^\/events\/([^/]+)\/sessions\/(\d{1,9})\.ics$/;
const registrationRoute = /^\/registrations\/([^/]+)\.ics$/;

const publicCaching = 'public, max-age=60, stale-while-revalidate=300';

async function personalFeed(feedKey: string, now: Date): Promise<Feed | null> {
  const id = await registrationIdForFeedKey(feedKey);
  return id ? registrationCalendar(id, now) : null;
}

function calendarResponse({ ics, language }: Feed, cacheControl: string): Response {
  return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': cacheControl, 'content-language': language } });
}

function refusal(status: number, message: string, cacheControl: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'cache-control': cacheControl } });
}

/** `?lang=`: a BCP 47 tag that Intl takes (matched against the event's languages, never used as it is), or none. */
export function requestedLanguage(url: URL): { lang: string | null } | null {
  const lang = url.searchParams.get('lang');
  if (!lang) return { lang: null };
  return isIntlLanguageTag(lang) ? { lang } : null;
}

/** An event's feed, or one session's, from one query, in the language `lang` asks for where the event has it. */
async function publicFeed(slug: string, number: number | undefined, lang: string | null): Promise<Response> {
  const event = await prisma.event.findUnique({
    where: { slug },
    include: { sessions: { ...feedSession, where: number === undefined ? {} : { number }, orderBy: [{ startsAt: 'asc' }, { number: 'asc' }] } },
  });
  if (!event) return refusal(404, `No event has the slug "${slug}".`, publicCaching);
  const language = contentLanguageFor(lang, event);
  if (number === undefined) return calendarResponse(feed(event, language, event.sessions.map((session) => ({ session }))), publicCaching);
  const [session] = event.sessions;
  if (!session) return refusal(404, `The event "${slug}" has no session ${number}.`, publicCaching);
  return calendarResponse(feed(event, language, [{ session }], (t) => t.session(number)), publicCaching);
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
        const found = await personalFeed(feedKey, new Date());
        endResponse(found === null ? refusal(404, 'No registration has this calendar feed.', 'private, no-store') : calendarResponse(found, 'private, no-store'));
      } else if (slug) {
        const asked = requestedLanguage(url);
        if (!asked) endResponse(refusal(400, 'lang must be a language tag, for example fr or es.', publicCaching));
        else endResponse(await publicFeed(slug, number === undefined ? undefined : Number(number), asked.lang));
      }
    },
  };
}
