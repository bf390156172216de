import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteTemplate } from '../src/db/pglite-folder.js';
import { startServer, type ServerProcess } from './support/server-process.js';

/** Runs the built server (dist/server.js) to its end: for starts that must fail. */
async function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['dist/server.js'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

const logLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function text(response: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of response) body += chunk;
  return body;
}

// The server runs as its own process on this test file's database (PGlite folder or PostgreSQL), as in production.
describe('operating the server', () => {
  let server: ServerProcess;
  /** The server's own process, as it logs it. */
  let pid: number;
  beforeAll(async () => {
    server = await startServer({ NODE_ENV: 'production', METRICS_TOKEN: 'ops-metrics-token' });
    pid = logLines(server.output()).find((entry) => typeof entry.pid === 'number')!.pid as number;
  }, 120_000);
  afterAll(() => {
    if (server?.child.exitCode === null) process.kill(pid, 'SIGKILL');
  });

  it('answers /health while it runs, /ready when the database answers', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
  });

  it('echoes X-Request-Id, or makes one, and logs each request as one JSON line', async () => {
    const given = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-request-id': 'ops-test-1' } });
    expect(given.headers.get('x-request-id')).toBe('ops-test-1');
    const made = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-request-id': 'no spaces or\ttabs' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await sleep(100);
    const line = logLines(server.output()).find((entry) => entry.requestId === 'ops-test-1');
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', path: '/graphql', status: 200 });
    expect(typeof line!.durationMs).toBe('number');
  });

  it('logs a personal feed\'s path without its key, however the request spells it', async () => {
    const key = 'feedkeyNotForTheLog42';
    const encoded = [...key].map((character) => `%${character.charCodeAt(0).toString(16)}`).join('');
    const spellings = [
      `/registrations/${key}.ics`, `/registrations/${key}.ICS`, `/REGISTRATIONS/${key}.ics`, `//registrations/${key}.ics`,
      `/registrations//${key}.ics`, `/registrations/${key}.ics/`, `/registrations/${key}%2eics`, `/registrations/${key}`,
      `/%72egistrations/${key}.ics`, `/registrations%2f${key}.ics`, `/registrations%252f${key}.ics`, `/registrations/${encoded}.ics`,
      `/registrations\\${key}.ics`, `/x/../registrations/${key}.ics`, `/events/../registrations/${key}.ics?lang=fr`,
    ];
    for (const [index, path] of spellings.entries()) {
      await new Promise<void>((resolve, reject) => {
        // The path as written: a URL would already tidy some spellings up.
        const { hostname, port } = new URL(server.url);
        httpRequest({ hostname, port, path, headers: { 'x-request-id': `feed-spelling-${index}` } }, (response) => response.resume().on('end', resolve)).on('error', reject).end();
      });
    }
    await sleep(100);
    const lines = logLines(server.output()).filter((entry) => String(entry.requestId).startsWith('feed-spelling-'));
    expect(lines).toHaveLength(spellings.length);
    for (const line of lines) {
      expect(decodeURIComponent(JSON.stringify(line)).toLowerCase()).not.toContain(key.toLowerCase());
      expect(line.path, JSON.stringify(line)).toMatch(/\/registrations\/<key>$/i);
    }
  });

  it('serves Prometheus metrics on /metrics to the holder of METRICS_TOKEN', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer ops-metrics-token' } });
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const body = await metrics.text();
    expect(body).toContain('graphql_envelop_request_duration');
    expect(body).toContain('graphql_yoga_http_duration');
    expect(body).toContain('process_resident_memory_bytes');
  });

  it('in production, has no introspection and no GraphiQL', async () => {
    const introspection = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __schema { types { name } } }')}`);
    expect((await introspection.json()).errors[0].message).toMatch(/introspection/i);
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it('refuses a second server on the same port with one clear line and a non-zero exit', async () => {
    const port = new URL(server.url).port;
    // Its own database: a PGlite folder belongs to one process.
    const second = await runServer({ PORT: port, PGLITE_DIR: 'memory://' });
    expect(second.code).not.toBe(0);
    expect(logLines(second.output).at(-1)).toMatchObject({ level: 'fatal', msg: expect.stringMatching(new RegExp(`port ${port} is already in use \\(EADDRINUSE\\)`)) });
  }, 120_000);

  it('on SIGTERM stops taking connections, finishes the request in flight, and exits 0', async () => {
    const body = Buffer.from(JSON.stringify({ query: '{ event(slug: "ohchr-remedy-tech-2021") { title } }' }));
    const slow = httpRequest(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      agent: false,
    });
    const answered = once(slow, 'response') as Promise<[IncomingMessage]>;
    // Headers and a first part of the body: the request is in flight.
    slow.write(body.subarray(0, 10));
    await sleep(300);
    const exited = once(server.child, 'exit');
    process.kill(pid, 'SIGTERM');
    await sleep(500);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    slow.end(body.subarray(10));
    const [response] = await answered;
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(await text(response)).data.event.title).toMatch(/Access to Remedy/);
    expect(await exited).toEqual([0, null]);
    expect(logLines(server.output()).map((entry) => entry.msg)).toEqual(expect.arrayContaining(['SIGTERM: stopping', 'stopped']));
  }, 60_000);
});

describe('configuration checked at start', () => {
  it('names a malformed or unreachable DATABASE_URL in one line and exits non-zero', async () => {
    const malformed = await runServer({ DATABASE_URL: 'postgres//nobody@', PORT: '0' });
    expect(malformed.code).not.toBe(0);
    expect(logLines(malformed.output)).toEqual([expect.objectContaining({ level: 'fatal', msg: expect.stringMatching(/^DATABASE_URL is not a URL/) })]);
    const unreachable = await runServer({ DATABASE_URL: 'postgresql://nobody:secret-password@127.0.0.1:1/nowhere', PORT: '0' });
    expect(unreachable.code).not.toBe(0);
    const [line] = logLines(unreachable.output);
    expect(line!.msg).toMatch(/^cannot reach the database, PostgreSQL 127\.0\.0\.1:1\/nowhere: Can't reach database server/);
    expect(unreachable.output).not.toContain('secret-password');
  }, 60_000);

  it('refuses an invalid PORT and a bad REDIS_URL', async () => {
    const port = await runServer({ PORT: '70000' });
    expect(port.code).not.toBe(0);
    expect(logLines(port.output)[0]!.msg).toBe('PORT must be a whole number from 0 to 65535, not "70000"');
    const redis = await runServer({ REDIS_URL: 'localhost:6379', PORT: '0' });
    expect(redis.code).not.toBe(0);
    expect(logLines(redis.output)[0]!.msg).toMatch(/^REDIS_URL must look like redis:\/\/host:6379/);
  }, 60_000);

  it('refuses to start in production without KEY_SECRET, or with a short one, in one line', async () => {
    const unset = await runServer({ NODE_ENV: 'production', PORT: '0', PGLITE_DIR: 'memory://' });
    expect(unset.code).not.toBe(0);
    expect(logLines(unset.output)).toEqual([expect.objectContaining({ level: 'fatal', msg: expect.stringMatching(/^KEY_SECRET is not set: production needs it to sign manage links and calendar feeds/) })]);
    const short = await runServer({ KEY_SECRET: 'too-short', PORT: '0', PGLITE_DIR: 'memory://' });
    expect(short.code).not.toBe(0);
    expect(logLines(short.output)).toEqual([expect.objectContaining({ level: 'fatal', msg: expect.stringMatching(/^KEY_SECRET is too short \(9 characters\)/) })]);
    expect(short.output).not.toContain('too-short');
  }, 60_000);

  it('refuses a malformed SMTP_URL and an unreachable mail server in one line, without the password', async () => {
    const malformed = await runServer({ SMTP_URL: 'mail.example.org:587', PORT: '0' });
    expect(malformed.code).not.toBe(0);
    expect(logLines(malformed.output)).toEqual([expect.objectContaining({ level: 'fatal', msg: expect.stringMatching(/^SMTP_URL must start with smtp:\/\/ or smtps:\/\//) })]);
    const unreachable = await runServer({ SMTP_URL: 'smtp://user:secret-password@127.0.0.1:1', PORT: '0' });
    expect(unreachable.code).not.toBe(0);
    expect(logLines(unreachable.output)).toEqual([
      expect.objectContaining({ level: 'fatal', msg: expect.stringMatching(/^cannot reach the mail server, SMTP smtp:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\): check SMTP_URL/) }),
    ]);
    expect(unreachable.output).not.toContain('secret-password');
  }, 60_000);
});

describe('start-up', () => {
  it('starts on a new PGlite folder (from the template npm install made), seeds it, and logs each phase at LOG_LEVEL=debug', async () => {
    expect(existsSync(join(pgliteTemplate, 'PG_VERSION'))).toBe(true);
    const folder = await mkdtemp(join(tmpdir(), 'event-api-new-'));
    const server = await startServer({ DATABASE_URL: '', PGLITE_DIR: join(folder, 'data'), LOG_LEVEL: 'debug' });
    try {
      const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ event(slug: "ohchr-remedy-tech-2021") { sessions { totalCount } } }')}`);
      expect((await response.json()).data.event.sessions.totalCount).toBe(4);
      const phases = logLines(server.output()).find((entry) => entry.msg === 'start-up phases (ms)')!.phases as Record<string, number>;
      expect(Object.keys(phases)).toEqual(['module load', 'configuration check', 'database open', 'migration check', 'seed check', 'schema build', 'listen']);
      expect(Object.values(phases).every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
    } finally {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
