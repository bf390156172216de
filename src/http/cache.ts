import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { responseCache } from '../cache.js';
import { requestLanguages } from '../rules/content-languages.js';
import { chooseEncoding, EncodedBody } from './compression.js';
import { keepPublicAnswer } from './public-answers.js';

const privateRootFields = ['registration', 'registrations'];
/** How long public reads are kept, here and by browsers and CDNs (CACHE_MAX_AGE). */
export const publicSeconds = Number(process.env.CACHE_MAX_AGE ?? 60);
export const publicCacheControl = `public, max-age=${publicSeconds}, stale-while-revalidate=${publicSeconds * 5}`;

/**
 * A cached result's JSON, ETag and compressed forms, made once per cache entry: the in-memory
 * cache hands out the same `data` object on every hit, so hits skip serialising, hashing and
 * compressing the answer again.
 */
interface SerializedAnswer {
  body: string;
  encoded: EncodedBody;
}
const serialized = new WeakMap<object, SerializedAnswer>();
const answerByRequest = new WeakMap<Request, SerializedAnswer>();

function serialize(data: object): SerializedAnswer {
  let answer = serialized.get(data);
  if (!answer) {
    const body = JSON.stringify({ data });
    answer = { body, encoded: EncodedBody.ofText(body) };
    serialized.set(data, answer);
  }
  return answer;
}

/** The response cache marks a result it may cache with an ETag in its HTTP extensions. */
function isCacheableResult(result: unknown): result is ExecutionResult & { data: object } {
  const { data, errors, extensions } = result as ExecutionResult<object, { http?: { headers?: Record<string, string> } }>;
  return typeof data === 'object' && data !== null && !errors && Object.keys(extensions ?? {}).join() === 'http' && !!extensions?.http?.headers?.ETag;
}

/**
 * Public reads are cached whole (in memory or Redis), and answered with Cache-Control for browsers
 * and CDNs and an ETag of the content, so If-None-Match answers 304 only while the content is the
 * same. Anything personal or admin is never cached: requests with an Authorization header, and
 * responses showing a registration or an admin token.
 */
export function httpCaching(): Plugin[] {
  // CACHE_MAX_AGE=0 turns server-side caching off (the benchmark's uncached runs).
  if (publicSeconds === 0) return [];
  return [
    useResponseCache({
      cache: responseCache,
      // Not a person: the language the request asks for (never the header as written), part of the cache key.
      session: async (request) => (await requestLanguages(request)).accepted.join(',') || null,
      enabled: (request) => !request.headers.has('authorization'),
      // The plugin's own key is the same hash made through WebCrypto, asynchronously: built for
      // every request (mutations too), that cost more than all the rest of the cache lookup.
      buildResponseCacheKey: ({ documentString, operationName, variableValues, sessionId }) =>
        createHash('sha256').update([documentString, operationName ?? '', JSON.stringify(variableValues ?? {}), sessionId ?? ''].join('|')).digest('hex'),
      ttl: publicSeconds * 1_000,
      // Seat counts move with every registration; registrations also invalidate their sessions.
      ttlPerSchemaCoordinate: { 'Session.availability': 5_000 },
      ignoredTypes: ['Registration', 'RegisteredSession', 'ZoomLink', 'AdminToken', 'IssuedAdminToken'],
      // A manage-token lookup is personal even when it finds nothing.
      shouldCacheResult: ({ result }) => !result.errors?.length && !privateRootFields.some((field) => field in (result.data ?? {})),
    }),
    {
      onResultProcess({ request, result, setResult }) {
        if (request.method !== 'GET' || !isCacheableResult(result)) return;
        const answer = serialize(result.data);
        answerByRequest.set(request, answer);
        setResult({ ...result, stringify: () => answer.body });
      },
      onResponse({ request, response, serverContext, setResponse }) {
        if (!new URL(request.url).pathname.startsWith('/graphql') || response.headers.has('cache-control')) return;
        // The response cache marks what it may cache with an ETag of its own (the cache key, the
        // same before and after a change): replace it with one of the content.
        const answer = answerByRequest.get(request);
        if (!answer || response.status !== 200) {
          response.headers.delete('etag');
          response.headers.set('cache-control', 'private, no-store');
          return;
        }
        const encoding = chooseEncoding(request.headers.get('accept-encoding'));
        const headers = {
          ...answer.encoded.headersFor(encoding),
          'cache-control': publicCacheControl,
          // Accept-Language when the answer's text was chosen by it (src/http/languages.ts said so).
          vary: [...new Set(['Accept', 'Accept-Encoding', ...(response.headers.get('vary')?.split(/\s*,\s*/) ?? [])])].join(', '),
        };
        const known = (request.headers.get('if-none-match') ?? '').split(',').map((tag) => tag.trim());
        if (known.includes(headers.etag)) {
          setResponse(new Response(null, { status: 304, headers: { ...headers, 'access-control-allow-origin': '*' } }));
          return;
        }
        response.headers.delete('last-modified');
        for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
        const bytes = answer.encoded.encoded(encoding);
        if (encoding !== 'identity') {
          response.headers.set('content-length', String(bytes.length));
          setResponse(new Response(bytes, { status: 200, headers: response.headers }));
        }
        keepPublicAnswer((serverContext as { req?: IncomingMessage }).req, bytes, headers.etag, response.headers);
      },
    },
  ];
}
