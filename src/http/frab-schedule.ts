import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { cacheGeneration } from '../cache.js';
import { contentLanguageSettings, languageVariant } from '../rules/content-languages.js';
import { prisma } from '../db/client.js';
import { frabScheduleFile, scheduleQuery } from '../formats/frab-schedule.js';
import { firstOffered } from '../rules/translation.js';
import { publicCacheControl, publicSeconds } from './cache.js';
import { requestedLanguage } from './calendar.js';
import { EncodedBody, encodedResponse } from './compression.js';

// The frab schedule export (src/formats/frab-schedule.ts writes it), served and kept per language.

type ScheduleFormat = 'xml' | 'json';

// A slug is lowercase words joined by hyphens (src/rules/input-fields.ts); anything else is
// no event's and goes on to a 404.
const scheduleRoute = /^\/events\/([a-z0-9-]{1,1000})\/schedule\.(xml|json)$/;

/** Exports built since the last invalidation of the response cache, by slug, format and languages asked. */
const keptExports = new LRUCache<string, { generation: number; export: LanguageExport }>({ max: 200, ttl: Math.max(publicSeconds, 1) * 1_000 });

const contentTypes: Record<ScheduleFormat, string> = { xml: 'application/xml; charset=utf-8', json: 'application/json; charset=utf-8' };

interface LanguageExport {
  body: EncodedBody;
  /** What its Content-Language names: the languages its text is in (see `ShownLanguages`). */
  language: string;
}

/** Builds in progress, by key and generation: requests arriving meanwhile wait for the same one. */
const buildsInProgress = new Map<string, Promise<LanguageExport | null>>();

/**
 * The export of `slug` in the first of `asked` (offered languages, best first; empty for none) that
 * the event offers, else in its default language.
 */
async function scheduleExport(slug: string, format: ScheduleFormat, asked: string): Promise<LanguageExport | null> {
  const key = `${slug}.${format}.${asked}`;
  // Redis unreachable: built afresh, and not kept.
  const generation = publicSeconds > 0 ? await cacheGeneration().catch(() => undefined) : undefined;
  const kept = keptExports.get(key);
  if (kept && kept.generation === generation) return kept.export;
  // A large event takes a while to write: after an invalidation, a crowd of readers builds it once.
  const build = `${key}@${generation ?? 'unkept'}`;
  let building = buildsInProgress.get(build);
  if (!building) {
    building = buildExport(slug, format, asked, key, generation).finally(() => buildsInProgress.delete(build));
    buildsInProgress.set(build, building);
  }
  return building;
}

async function buildExport(slug: string, format: ScheduleFormat, asked: string, key: string, generation: number | undefined): Promise<LanguageExport | null> {
  const event = await prisma.event.findUnique({ where: { slug }, ...scheduleQuery });
  if (!event) return null;
  const file = frabScheduleFile(event, firstOffered(asked ? asked.split(',') : [], event), format);
  const built = { language: file.language, body: EncodedBody.ofText(file.text) };
  // Kept under the generation read before the event was: a change made since drops it.
  if (generation !== undefined) keptExports.set(key, { generation, export: built });
  return built;
}

/**
 * `GET /events/<slug>/schedule.xml` and `GET /events/<slug>/schedule.json`, in the language of
 * `?lang=` or else Accept-Language where the event has it: public, cached like the other public
 * reads (in this process until the response cache is next invalidated, by any process),
 * compressed, with an ETag.
 */
export function frabScheduleExport(): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET') return;
      const [, slug, format] = scheduleRoute.exec(url.pathname) ?? [];
      if (!slug || !format) return;
      const text = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': publicCacheControl };
      const lang = requestedLanguage(url);
      if (!lang) {
        endResponse(new Response('lang must be a language tag, for example fr or es.\n', { status: 400, headers: text }));
        return;
      }
      // Only languages some event offers make a key, never what the client wrote.
      const asked = languageVariant(lang.lang ?? request.headers.get('accept-language'), await contentLanguageSettings());
      const found = await scheduleExport(slug, format as ScheduleFormat, asked);
      if (!found) {
        endResponse(new Response(`No event has the slug "${slug}".\n`, { status: 404, headers: text }));
        return;
      }
      const headers = { 'content-type': contentTypes[format as ScheduleFormat], 'cache-control': publicCacheControl, 'access-control-allow-origin': '*', 'content-language': found.language };
      endResponse(encodedResponse(request, found.body, headers, lang.lang ? [] : ['Accept-Language']));
    },
  };
}
