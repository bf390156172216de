import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import { responseCache } from '../cache.js';

const privateRootFields = ['registration', 'registrations'];
const publicSeconds = Number(process.env.CACHE_MAX_AGE ?? 60);

/**
 * Public reads are cached whole, with an ETag (a matching If-None-Match answers 304) and
 * Cache-Control for browsers and CDNs. Anything personal or admin is never cached: requests with
 * an Authorization header, and responses showing a registration or an admin token.
 */
export function httpCaching(): Plugin[] {
  return [
    useResponseCache({
      cache: responseCache,
      session: () => null,
      enabled: (request) => !request.headers.has('authorization'),
      ttl: publicSeconds * 1_000,
      // Seat counts move with every registration; registrations also invalidate their sessions.
      ttlPerSchemaCoordinate: { 'Session.availability': 5_000 },
      ignoredTypes: ['Registration', 'RegisteredSession', 'ZoomLink', 'AdminToken', 'IssuedAdminToken'],
      // A manage-token lookup is personal even when it finds nothing.
      shouldCacheResult: ({ result }) => !result.errors?.length && !privateRootFields.some((field) => field in (result.data ?? {})),
    }),
    {
      onResponse({ request, response }) {
        if (!new URL(request.url).pathname.startsWith('/graphql') || response.headers.has('cache-control')) return;
        const cacheable = request.method === 'GET' && response.headers.has('etag') && response.status < 400;
        response.headers.set(
          'cache-control',
          cacheable ? `public, max-age=${publicSeconds}, stale-while-revalidate=${publicSeconds * 5}` : 'private, no-store',
        );
        response.headers.append('vary', 'Accept');
      },
    },
  ];
}
