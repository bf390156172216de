import { AsyncLocalStorage } from 'node:async_hooks';
import type { YogaLogger } from 'graphql-yoga';

// The process's one logger, for every layer: HTTP sets the request scope, the rest only writes.

export interface RequestScope {
  id: string;
  startedAt: number;
  operationName?: string;
}

/** The request being served, so every line written while serving it carries its id. */
export const requests = new AsyncLocalStorage<RequestScope>();
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

