import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { useReadinessCheck, type Plugin, type YogaLogger } from 'graphql-yoga';

interface RequestScope {
  id: string;
  startedAt: number;
  operationName?: string;
}

const requests = new AsyncLocalStorage<RequestScope>();

const levels = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
type Level = (typeof levels)[number];
// Tests show only what goes wrong; LOG_LEVEL=debug adds Yoga's own debug lines (every probe…).
const lowest = levels.indexOf((process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info')) as Level);

/**
 * One JSON object per line on stdout, with the request id of the request being served. Takes
 * what Yoga's logger is given: a message, Errors (kept with their stack, which never reaches a
 * client) and objects of fields.
 */
function write(level: Level, args: unknown[]): void {
  if (levels.indexOf(level) < lowest) return;
  const words: string[] = [];
  const fields: Record<string, unknown> = {};
  for (const arg of args) {
    if (arg instanceof Error) {
      words.push(arg.message);
      fields.error = { name: arg.name, message: arg.message, stack: arg.stack };
    } else if (arg && typeof arg === 'object') {
      Object.assign(fields, arg);
    } else {
      words.push(String(arg));
    }
  }
  const line = { time: new Date().toISOString(), level, msg: words.join(' '), requestId: requests.getStore()?.id, ...fields };
  const first = unwritten === '';
  unwritten += `${JSON.stringify(line)}\n`;
  // A fatal line is the last: the process exits right after it.
  if (level === 'fatal') writeLines();
  else if (first) setImmediate(writeLines);
}

/**
 * Lines not yet on stdout: written once per turn of the event loop rather than one write each (a
 * busy server logs thousands of requests a second), and at exit whatever is left.
 */
let unwritten = '';
function writeLines(): void {
  if (unwritten === '') return;
  process.stdout.write(unwritten);
  unwritten = '';
}
process.on('exit', writeLines);

export const logger: YogaLogger & { fatal: (...args: unknown[]) => void } = {
  debug: (...args) => write('debug', args),
  info: (...args) => write('info', args),
  warn: (...args) => write('warn', args),
  error: (...args) => write('error', args),
  fatal: (...args) => write('fatal', args),
};

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
          // A personal feed's path holds its key: a log reader must not be able to open it.
          path: path.replace(/^\/registrations\/[^/]+\.ics$/, '/registrations/<key>.ics'),
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
