import type { CORSOptions, Plugin } from 'graphql-yoga';

/** Browser origins allowed to POST (register, mutate): CORS_ORIGINS, comma-separated. */
const writeOrigins = (process.env.CORS_ORIGINS ?? '')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);

function isRead(request: Request): boolean {
  const method = request.method === 'OPTIONS' ? request.headers.get('access-control-request-method') : request.method;
  return method === 'GET' || method === 'HEAD';
}

/**
 * Public reads (GET) from any origin, never with credentials; everything else only from the
 * configured origins. Requests without an Origin (scripts, servers) are not browsers and pass.
 */
export function corsPolicy(request: Request): CORSOptions {
  if (isRead(request)) return { origin: '*', credentials: false, methods: ['GET', 'HEAD'], exposedHeaders: ['ETag', 'X-Request-Id'], maxAge: 600 };
  const origin = request.headers.get('origin');
  if (origin && writeOrigins.includes(origin)) return { origin, credentials: false, methods: ['POST', 'GET'], maxAge: 600 };
  return false;
}

/**
 * Browsers skip preflight for some POSTs: refuse those from other origins before they run. And
 * reads answer `*` rather than echoing each origin, so one cached copy serves every partner site.
 */
export function originPolicy(): Plugin {
  return {
    onResponse({ request, response }) {
      if (!isRead(request) || !response.headers.has('access-control-allow-origin')) return;
      response.headers.set('access-control-allow-origin', '*');
      const vary = (response.headers.get('vary') ?? '').split(',').map((name) => name.trim()).filter((name) => name && name.toLowerCase() !== 'origin');
      if (vary.length) response.headers.set('vary', vary.join(', '));
      else response.headers.delete('vary');
    },
    onRequest({ request, endResponse }) {
      const origin = request.headers.get('origin');
      if (isRead(request) || request.method === 'OPTIONS' || !origin || writeOrigins.includes(origin)) return;
      if (origin === new URL(request.url).origin) return;
      endResponse(
        Response.json(
          { errors: [{ message: `Origin ${origin} may only read (GET). Ask the organizer to add it to CORS_ORIGINS.`, extensions: { code: 'FORBIDDEN' } }] },
          { status: 403 },
        ),
      );
    },
  };
}
