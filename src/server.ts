import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { beginShutdown, databaseAnswers } from './http/operations.js';
import { logger } from './log.js';
import { createDelivery, smtpUrlProblem } from './mail/transport.js';
import { projectPath } from './project-root.js';

const defaultSeed = projectPath('seed', 'ohchr-remedy-tech-2021.json');
/** How long in-flight requests (and live-update streams, which EventSource reopens) get to end. */
const shutdownGraceMs = 10_000;
/** How long after listening the API process starts sending mail: the first answers come first. */
const mailWorkerDelayMs = 2_000;

/** Stops the start with one line saying what is wrong and what to change. */
function fail(message: string): never {
  logger.fatal(message);
  process.exit(1);
}

/** Why a connection failed, on one line. */
function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Prisma's messages end with the driver's words: "… Message: `Can't reach database server at …`".
  return /Message: `(.+)`/.exec(text)?.[1] ?? text.split('\n').findLast((line) => line.trim())?.trim() ?? 'unknown error';
}

function checkedPort(value = '4000'): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) fail(`PORT must be a whole number from 0 to 65535, not "${value}"`);
  return port;
}

/** Checked before the database module loads, which parses it. Never echoes the password. */
function checkDatabaseUrl(value: string | undefined): void {
  if (!value) return;
  const example = 'postgresql://user:password@host:5432/database';
  if (!URL.canParse(value)) fail(`DATABASE_URL is not a URL: expected ${example}`);
  const url = new URL(value);
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') fail(`DATABASE_URL must start with postgresql://, not ${url.protocol}//: expected ${example}`);
  if (!url.hostname) fail(`DATABASE_URL names no host: expected ${example}`);
}

/** Manage links and calendar feeds are signed with it; a copy of the database must not be enough to make them. */
function checkKeySecret(value: string | undefined): void {
  const make = 'make one with `openssl rand -base64 32` and keep it outside the database';
  if (!value && process.env.NODE_ENV === 'production') fail(`KEY_SECRET is not set: production needs it to sign manage links and calendar feeds (${make})`);
  if (value && value.length < 32) fail(`KEY_SECRET is too short (${value.length} characters): use at least 32 random characters (${make})`);
}

async function checkRedis(value: string | undefined, setting = 'REDIS_URL'): Promise<void> {
  if (!value) return;
  if (!URL.canParse(value) || !['redis:', 'rediss:'].includes(new URL(value).protocol)) fail(`${setting} must look like redis://host:6379 (or rediss:// for TLS)`);
  const redis = new Redis(value, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The connection's own error says more than the rejected connect() ("Connection is closed").
  let connectionError: unknown;
  redis.on('error', (error) => (connectionError ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(`cannot reach Redis (${reason(connectionError ?? error)}): check ${setting} and that Redis runs`);
  } finally {
    redis.disconnect();
  }
}

/** Milliseconds each start-up phase took, printed at LOG_LEVEL=debug: the first counts from process start. */
const phases: Record<string, number> = {};
let phaseStartedAt = 0;
function phaseDone(name: string): void {
  const now = performance.now();
  phases[name] = Math.round(now - phaseStartedAt);
  phaseStartedAt = now;
}
phaseDone('module load');

/** `npm run worker` (`--worker`): only send the queued mail, serve nothing. */
const workerOnly = process.argv.includes('--worker');
/** MAIL_WORKER=false: an API process that only queues mail, for a separate `npm run worker` to send. */
const sendsMail = workerOnly || process.env.MAIL_WORKER !== 'false';

const port = checkedPort(process.env.PORT);
checkDatabaseUrl(process.env.DATABASE_URL);
if (workerOnly && !process.env.DATABASE_URL) fail('npm run worker needs DATABASE_URL: a PGlite database belongs to one process, and the API process sends its mail itself');
checkKeySecret(process.env.KEY_SECRET);
await checkRedis(process.env.REDIS_URL);
await checkRedis(process.env.REDIS_RATE_LIMIT_URL, 'REDIS_RATE_LIMIT_URL');
const smtpProblem = smtpUrlProblem(process.env.SMTP_URL);
if (smtpProblem) fail(smtpProblem);
const delivery = createDelivery();
if (sendsMail) {
  try {
    await delivery.verify();
  } catch (error) {
    fail(`cannot reach the mail server, ${delivery.describe} (${reason(error)}): check SMTP_URL and that the server runs`);
  }
}

phaseDone('configuration check');

const { databaseDescription, disconnect, prisma } = await import('./db/client.js');
/**
 * The modules that serve and send, loaded (the schema built as they load) while the database
 * opens: much of each is waiting on files and on WebAssembly compiled off the main thread, so side
 * by side they take less than one after the other. A failure to load is reported once the
 * database checks, which come first, have passed.
 */
const served = Promise.all([import('./app.js'), import('./http/public-answers.js'), import('./http/malformed-requests.js'), import('./db/jobs.js'), import('./mail/worker.js')]);
served.catch(() => {});
try {
  await databaseAnswers(10_000);
} catch (error) {
  fail(`cannot reach the database, ${databaseDescription}: ${reason(error)}. Check DATABASE_URL (or PGLITE_DIR)`);
}
phaseDone('database open');
const { ensureMigrated } = await import('./db/migrations.js');
await ensureMigrated();
phaseDone('migration check');
if ((await prisma.event.count()) === 0) {
  const { importEvent } = await import('./resolvers/event-import.js');
  const file = process.env.SEED_FILE ?? defaultSeed;
  const { actingAs } = await import('./db/audit.js');
  const summary = await actingAs({ kind: 'SYSTEM', name: 'seed at first start' }, async () => importEvent(JSON.parse(await readFile(file, 'utf8'))));
  logger.info(`seeded ${file}: ${summary.created} rows`);
}
phaseDone('seed check');

const [{ yoga }, { servePublicAnswers }, { refuseMalformedRequests }, { stopJobQueue }, { startMailWorker }] = await served;
/** Sends the queued mail from this process, once it is ready; a failure to start is logged, not fatal to serving. */
const startSending = () =>
  startMailWorker(delivery).catch((error: unknown) => logger.error('the mail worker did not start: queued mail waits for a process that sends it', error));
let sendingSoon: NodeJS.Timeout | undefined;
if (!workerOnly) {
  // Before the first request, which would otherwise wait for them; answers kept before Yoga need them.
  const { contentLanguageSettings } = await import('./rules/content-languages.js');
  await contentLanguageSettings();
}
phaseDone('schema build');
// Slow senders get 30 s for a whole request and 10 s for its headers; responses (live-update
// streams) are not limited.
const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, refuseMalformedRequests(servePublicAnswers(yoga)));
server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') fail(`port ${port} is already in use (EADDRINUSE): stop what listens there or set PORT to a free port`);
  if (error.code === 'EACCES') fail(`port ${port} needs privileges this process lacks (EACCES): set PORT to 1024 or above`);
  fail(`cannot listen on port ${port}: ${reason(error)}`);
});
if (workerOnly) {
  await startSending();
  logger.info(`mail worker on ${databaseDescription}`, { pid: process.pid });
} else {
  server.listen(port, () => {
    const { port: listening } = server.address() as { port: number };
    phaseDone('listen');
    logger.debug('start-up phases (ms)', { phases });
    // The pid is the one to signal for a graceful stop, whatever wrapper started the process.
    logger.info(`event API on ${databaseDescription}: http://localhost:${listening}${yoga.graphqlEndpoint}`, { port: listening, pid: process.pid });
    // A while after listening: starting the queue (creating its tables on a first run) and its
    // first polls must not hold up the first answers, which on PGlite share its one connection.
    // The mail waits in the database meanwhile.
    if (sendsMail) sendingSoon = setTimeout(() => void startSending(), mailWorkerDelayMs);
  });
}

let stopping = false;

/**
 * SIGTERM (orchestrators) or SIGINT (Ctrl-C): refuse new connections, answer what is in flight,
 * close idle keep-alive connections, then the database, and exit 0.
 */
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  // Ctrl-C reaches this process from the terminal and again relayed by tsx.
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: stopping`);
  beginShutdown();
  clearTimeout(sendingSoon);
  const closed = new Promise<void>((done) => (server.listening ? server.close(() => done()) : done()));
  server.closeIdleConnections();
  const cutOff = setTimeout(() => server.closeAllConnections(), shutdownGraceMs);
  await closed;
  clearTimeout(cutOff);
  await yoga.dispose();
  // Mail being sent gets the same grace; what is left is sent by another process, or after a restart.
  await stopJobQueue(shutdownGraceMs);
  delivery.close();
  await disconnect();
  logger.info('stopped');
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, (received) => {
    shutdown(received).catch((error: unknown) => {
      logger.error('shutdown failed', error);
      process.exit(1);
    });
  });
}
