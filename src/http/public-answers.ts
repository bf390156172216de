import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Counter } from 'prom-client';
import { cacheGeneration } from '../cache.js';
import { languageVariant, loadedContentLanguageSettings } from '../rules/content-languages.js';
import { LongKeyCache } from '../long-key-cache.js';
import { chooseEncoding } from './compression.js';
import { logger } from '../log.js';
import { isShuttingDown, requestIdFor } from './operations.js';

/**
 * The busiest requests, the same public GET read again and again (an embedded agenda), answered
 * before Yoga with the bytes and headers Yoga gave for it. Going through Yoga costs more than
 * building the answer from the response cache; this keeps each answer for at most a second and
 * drops it as soon as any process invalidates the response cache, so it is never staler than
 * what Yoga would send.
 */
interface PublicAnswer {
  body: Buffer;
  etag: string;
  headers: [string, string][];
  generation: number;
}

// Keyed by the URL a client writes, so bounded by bytes too; expired answers are dropped as they
// expire, not only when pushed out.
const answers = new LongKeyCache<PublicAnswer>({ max: 1_000, ttl: 1_000, ttlAutopurge: true, bytes: (answer) => answer.body.length, maxBytes: 8_000_000 });
/**
 * A request that may be kept, as it arrived: its key, and the cache generation then (its answer is
 * no newer). The key is not made again later: the languages it was made with may have moved on.
 */
const arrivals = new WeakMap<IncomingMessage, { key: string; generation: number }>();
/** Set per request by the server, or sent per connection by Node. */
const unkeptHeaders = new Set(['x-request-id', 'connection', 'keep-alive', 'date', 'content-length', 'transfer-encoding']);

const served = new Counter({ name: 'graphql_public_answers_served_before_yoga_total', help: 'Public GET reads answered from kept answers, without Yoga' });

function keyOf(req: IncomingMessage): string | undefined {
  const accept = req.headers.accept ?? '';
  if (req.method !== 'GET' || req.headers.authorization || !req.url?.startsWith('/graphql?') || accept.includes('text/event-stream')) return undefined;
  // Not loaded yet: Yoga loads them, and answers.
  const languages = loadedContentLanguageSettings();
  if (!languages) return undefined;
  // Reads answer any origin with the same `*`; a request without Origin gets no CORS headers.
  const language = languageVariant(req.headers['accept-language'], languages);
  return `${req.url}\n${accept}\n${req.headers.origin ? 'cors' : ''}\n${chooseEncoding(req.headers['accept-encoding'])}\n${language}`;
}

/** Called by the caching plugin with a public answer as Yoga sends it. */
export function keepPublicAnswer(req: IncomingMessage | undefined, body: Buffer, etag: string, headers: Headers): void {
  const arrival = req && arrivals.get(req);
  if (!arrival) return;
  answers.set(arrival.key, { body, etag, generation: arrival.generation, headers: [...headers].filter(([name]) => !unkeptHeaders.has(name)) });
}

function send(req: IncomingMessage, res: ServerResponse, answer: PublicAnswer): void {
  const startedAt = performance.now();
  const requestId = requestIdFor(req.headers['x-request-id'] as string | undefined);
  const notModified = (req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === answer.etag);
  // All at once, as a list: cheaper than one setHeader each.
  const headers = notModified ? answer.headers.filter(([name]) => name !== 'content-type') : [...answer.headers, ['content-length', String(answer.body.length)]];
  headers.push(['x-request-id', requestId]);
  if (isShuttingDown()) headers.push(['connection', 'close']);
  res.writeHead(notModified ? 304 : 200, headers.flat());
  res.end(notModified ? undefined : answer.body);
  served.inc();
  logger.info('request', { requestId, method: 'GET', path: '/graphql', status: res.statusCode, durationMs: Math.round(performance.now() - startedAt), answeredBeforeYoga: true });
}

/** Wraps Yoga's Node listener: kept public answers first, everything else to Yoga. */
export function servePublicAnswers(yoga: RequestListener): RequestListener {
  return (req, res) => {
    const key = keyOf(req);
    if (!key) return yoga(req, res);
    // Redis unreachable: Yoga answers (or says what is wrong) and nothing is kept.
    void cacheGeneration()
      .catch(() => undefined)
      .then((generation) => {
        const answer = answers.get(key);
        if (generation !== undefined && answer?.generation === generation) return send(req, res, answer);
        if (generation !== undefined) arrivals.set(req, { key, generation });
        return yoga(req, res);
      });
  };
}
