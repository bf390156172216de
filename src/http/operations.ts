import { randomUUID } from 'node:crypto';
import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import { logger, requests } from '../log.js';

/** A client's X-Request-Id is kept when it is a plain token, so it can't forge log lines. */
const acceptedRequestId = /^[\w.:@/+=-]{1,128}$/;
const probes = new Set(['/health', '/ready', '/metrics']);

let shuttingDown = false;

/** From now on /ready answers 503 and responses close their connection: the server is stopping. */
export function beginShutdown(): void {
  shuttingDown = true;
}

export function isShuttingDown(): boolean {
  return shuttingDown;
}

/**
 * A path as some server or proxy on the way might read it: percent-decoded until it no longer
 * changes (byte by byte, so no spelling throws), backslashes as slashes, runs of slashes as one.
 * Undefined when it is encoded deeper than anyone decodes.
 */
function readablePath(path: string): string | undefined {
  let decoded = path;
  for (let round = 0; round < 10; round += 1) {
    const next = decoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === decoded) return decoded.replace(/[\\/]+/g, '/');
    decoded = next;
  }
  return undefined;
}

/**
 * A personal feed's path holds its key: a log reader must not be able to open it, however the
 * request spelt it (`/registrations/<key>.ICS`, `//registrations/…`, `%2eics`, a trailing slash).
 */
function loggedPath(path: string): string {
  const readable = readablePath(path);
  if (readable === undefined) return '<a path encoded over and over>';
  const feed = /\/registrations(?=\/|$)/i.exec(readable);
  return feed ? `${readable.slice(0, feed.index)}/registrations/<key>` : path;
}

/** The id a request is logged and answered with: the client's when it is a plain token. */
export function requestIdFor(given: string | null | undefined): string {
  return given && acceptedRequestId.test(given) ? given : randomUUID();
}

/** Resolves when the database answers `SELECT 1` within `ms`. */
export async function databaseAnswers(ms = 5_000): Promise<void> {
  // Loaded on first use: server.ts takes the logger from here before it has checked DATABASE_URL,
  // which the database module parses as it loads.
  const { prisma } = await import('../db/client.js');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([prisma.$queryRaw`SELECT 1`, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Routes and hooks for running the API: request ids and one JSON log line per request,
 * `GET /ready` (Yoga itself answers `GET /health` while the process runs). Metrics: src/http/metrics.ts.
 */
export function operations(): Plugin[] {
  return [
    {
      instrumentation: {
        request({ request }, handle) {
          return requests.run({ id: requestIdFor(request.headers.get('x-request-id')), startedAt: performance.now() }, handle);
        },
      },
      onParams({ params }) {
        const scope = requests.getStore();
        if (scope && params.operationName) scope.operationName = params.operationName;
      },
      onResponse({ request, response }) {
        const scope = requests.getStore();
        if (!scope) return;
        response.headers.set('x-request-id', scope.id);
        if (shuttingDown) response.headers.set('connection', 'close');
        const path = new URL(request.url).pathname;
        const entry = {
          method: request.method,
          path: loggedPath(path),
          status: response.status,
          durationMs: Math.round(performance.now() - scope.startedAt),
          // The client's own word: cut short so a request can't make its log line huge.
          operationName: scope.operationName?.slice(0, 100),
        };
        if (probes.has(path)) logger.debug('request', entry);
        else logger.info('request', entry);
      },
    },
    useReadinessCheck({
      endpoint: '/ready',
      check: async () => {
        if (shuttingDown) return false;
        try {
          await databaseAnswers(2_000);
          return true;
        } catch (error) {
          logger.warn('not ready: the database does not answer', error);
          return false;
        }
      },
    }),
  ];
}
