import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { prisma } from '../db/client.js';
import { logger } from '../log.js';
import { pubsub } from '../pubsub.js';
import { acceptedLanguages, firstOffered, ShownLanguages, type ContentLanguages } from './translation.js';

/**
 * The languages each event offers its content in, kept in memory: every translated field of every
 * session, part, break, panelist and document needs its event's, and reading them with each row
 * made the agenda's query a fifth larger. They change only with an event's own settings, which
 * reload them here at once and, through Redis, in every other process.
 */
export interface ContentLanguageSettings {
  events: ReadonlyMap<string, ContentLanguages>;
  /**
   * Every language some event offers. Accept-Language is matched against these only, so what it
   * adds to a cache key is one of a few lists of them, never what a client wrote.
   */
  offered: readonly string[];
}

let loaded: ContentLanguageSettings | undefined;
let loading: Promise<ContentLanguageSettings> | undefined;
/** Rises with every reload asked for: a slower, older reload never replaces a newer one. */
let requested = 0;

function reload(): Promise<ContentLanguageSettings> {
  const ticket = ++requested;
  const next = prisma.event.findMany({ select: { id: true, defaultLanguage: true, contentLanguages: true } }).then((rows) => {
    const settings = {
      events: new Map(rows.map(({ id, ...languages }) => [id, languages])),
      offered: [...new Set(rows.flatMap((row) => [row.defaultLanguage, ...row.contentLanguages]))].sort(),
    };
    if (ticket === requested) loaded = settings;
    return settings;
  });
  loading = next;
  next.catch(() => {
    if (loading === next) loading = undefined;
  });
  return next;
}

/** The settings, loaded on first use (`npm start` loads them before it listens). */
export function contentLanguageSettings(): Promise<ContentLanguageSettings> {
  return loaded ? Promise.resolve(loaded) : (loading ?? reload());
}

/** The settings if they are loaded, for code that can't wait (the answers kept before Yoga). */
export function loadedContentLanguageSettings(): ContentLanguageSettings | undefined {
  return loaded;
}

// Which process a change came from: it reloaded already.
const processId = randomUUID();

/**
 * After a write that creates or deletes an event or changes its languages commits: reloads them
 * here, before the caller drops cached answers, and in every other process sharing Redis.
 */
export async function contentLanguagesChanged(): Promise<void> {
  await reload();
  if (process.env.REDIS_URL) pubsub.publish('contentLanguagesChanged', { origin: processId });
}

if (process.env.REDIS_URL) {
  void (async () => {
    for await (const change of pubsub.subscribe('contentLanguagesChanged')) {
      if (change.origin !== processId) await reload().catch(() => undefined);
    }
  })().catch((error: unknown) => logger.error('content languages: no longer told of changes made by other processes', error));
}

/** An event none of the settings know (deleted meanwhile): its text is shown as it is, in no known language. */
const unknownEvent: ContentLanguages = { defaultLanguage: 'und', contentLanguages: [] };

/**
 * What one request asks for: the languages its Accept-Language accepts, for fields read without a
 * `lang` argument of their own. It also records what the answer used, for its Content-Language and
 * Vary headers.
 */
export class RequestLanguages {
  /** The offered languages the request's Accept-Language accepts, best first. */
  readonly accepted: readonly string[];
  #settings: ContentLanguageSettings;
  /** The one reload a request makes for events this process didn't know when it began. */
  #reloaded: Promise<ContentLanguageSettings> | undefined;
  /** Parts know their session, not its event: the sessions whose parts are read say theirs. */
  readonly #sessionEvents = new Map<string, string>();
  /** The events of sessions read no other way (a part alone, by `node(id:)`): one query for all. */
  readonly #sessionEventLoader = new DataLoader<string, string>(async (ids) => {
    const rows = await prisma.session.findMany({ where: { id: { in: [...ids] } }, select: { id: true, eventId: true } });
    const events = new Map(rows.map((row) => [row.id, row.eventId]));
    return ids.map((id) => events.get(id) ?? '');
  });
  /** Some text was chosen by the Accept-Language header (a field read without `lang`). */
  dependsOnHeader = false;
  /** The languages the answer's text is in. */
  readonly shown = new ShownLanguages();

  constructor(settings: ContentLanguageSettings, acceptLanguage: string | null) {
    this.#settings = settings;
    this.accepted = acceptedFor(acceptLanguage, settings);
  }

  /**
   * The language to show content of `owner` in: the field's `lang` argument, matched as the header
   * is (once per tag, not per row), else the Accept-Language header.
   */
  choose(lang: string | null | undefined, owner: ContentLanguages): string {
    if (lang) return firstOffered(acceptedFor(lang, this.#settings), owner);
    this.dependsOnHeader = true;
    return firstOffered(this.accepted, owner);
  }

  /** Every language some event offers. */
  get offered(): readonly string[] {
    return this.#settings.offered;
  }

  /**
   * The languages of the event `eventId`: at once, or after reloading them for an event another
   * process created a moment ago (or one gone meanwhile, whose text has no known language).
   */
  event(eventId: string): ContentLanguages | Promise<ContentLanguages> {
    const known = this.#settings.events.get(eventId);
    if (known) return known;
    this.#reloaded ??= reload().then((settings) => (this.#settings = settings));
    return this.#reloaded.then((settings) => settings.events.get(eventId) ?? unknownEvent);
  }

  /** Says that the session `sessionId` is in the event `eventId`, for its parts. */
  sessionIn(sessionId: string, eventId: string): void {
    this.#sessionEvents.set(sessionId, eventId);
  }

  /** The event of the session `sessionId`: known if its parts are read through it, else loaded. */
  eventOfSession(sessionId: string): string | Promise<string> {
    return this.#sessionEvents.get(sessionId) ?? this.#sessionEventLoader.load(sessionId);
  }
}

const byRequest = new WeakMap<Request, Promise<RequestLanguages>>();

/** The languages of a request, made once: the response cache's key and the resolvers read the same. */
export function requestLanguages(request: Request): Promise<RequestLanguages> {
  let languages = byRequest.get(request);
  if (!languages) {
    languages = contentLanguageSettings().then((settings) => new RequestLanguages(settings, request.headers.get('accept-language')));
    byRequest.set(request, languages);
  }
  return languages;
}

/**
 * What a request's language adds to the keys of cached answers: the offered languages its
 * Accept-Language accepts, best first (`es` for `es-MX,es;q=0.9`), empty for none.
 */
export function languageVariant(acceptLanguage: string | null | undefined, settings: ContentLanguageSettings): string {
  return acceptedFor(acceptLanguage, settings).join(',');
}

/**
 * The offered languages an Accept-Language header (or a field's `lang`) accepts, matched once per
 * header and settings: a partner page's visitors send a few headers again and again, each read on
 * every request, and a `lang` is read for every row. An unusually long header is matched each time
 * and never kept.
 */
const acceptedByHeader = new WeakMap<ContentLanguageSettings, LRUCache<string, readonly string[]>>();
function acceptedFor(acceptLanguage: string | null | undefined, settings: ContentLanguageSettings): readonly string[] {
  if (!acceptLanguage || acceptLanguage.length > 200) return acceptedLanguages(acceptLanguage, settings.offered);
  let known = acceptedByHeader.get(settings);
  if (!known) {
    known = new LRUCache({ max: 500 });
    acceptedByHeader.set(settings, known);
  }
  let accepted = known.get(acceptLanguage);
  if (!accepted) {
    accepted = acceptedLanguages(acceptLanguage, settings.offered);
    known.set(acceptLanguage, accepted);
  }
  return accepted;
}
