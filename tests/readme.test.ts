/*
 * README.md works as written: every HTTP path it gives answers on the seeded event, every npm
 * command it gives exists, every GraphQL example is valid against the schema, and the statements
 * a test can check (files skipped on PGlite, GraphQL over HTTP MAYs not followed) hold. It reads the
 * README each time, so a section added later is checked too; a failure names the README's line.
 */
import { readdir, readFile } from 'node:fs/promises';
import { parse, validate } from 'graphql';
import { serverAudits } from 'graphql-http';
import { beforeAll, describe, expect, it } from 'vitest';
import { yoga } from '../src/app.js';
import { RegisterForEventDocument, SessionAvailabilityDocument } from '../src/client/operations.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { schema } from '../src/resolvers/index.js';
import { apiClient, postGraphQL } from './support/api.js';
import { futureEvent } from './support/future-event.js';

process.env.ADMIN_SECRET = 'readme-admin-secret';

interface Found {
  line: number;
  text: string;
}

const readme = (await readFile('README.md', 'utf8')).split('\n');
const packageJson = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };

/** Lines with the kind of fenced block each is in (`sh`, `graphql`, …), or null outside blocks. */
const lines = (() => {
  let fence: string | null = null;
  return readme.map((text, index) => {
    const opens = /^```(\w*)/.exec(text);
    if (opens) {
      fence = fence === null ? opens[1] || 'text' : null;
      return { line: index + 1, text: '', fence: null };
    }
    return { line: index + 1, text, fence };
  });
})();

/** Paths on the API: from full URLs, and from `code` that starts with a path (`GET /events/<slug>.ics`). */
function httpPaths(): Found[] {
  const found: Found[] = [];
  for (const { line, text, fence } of lines) {
    for (const [, path] of text.matchAll(/\bhttps?:\/\/[\w.-]+(?::\d+)?(\/[^\s`"'<>)]*(?:<\w+>[^\s`"'<>)]*)*)/g)) found.push({ line, text: path! });
    const spans = fence ? [] : [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    for (const span of spans) {
      const path = /^(?:GET |POST )?(\/[^\s`]*)$/.exec(span)?.[1];
      if (path) found.push({ line, text: path });
    }
  }
  return found;
}

/** `npm …` commands, in sh blocks and in `code`. */
function npmCommands(): Found[] {
  const found: Found[] = [];
  for (const { line, text, fence } of lines) {
    const sources = fence === 'sh' ? [text.replace(/#.*$/, '')] : fence ? [] : [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    for (const source of sources) for (const [command] of source.matchAll(/\bnpm(?: [\w:.-]+)+/g)) found.push({ line, text: command });
  }
  return found;
}

/** The fenced ```graphql blocks, each with the line it starts on. */
function graphqlBlocks(): Found[] {
  const blocks: Found[] = [];
  for (const { line, text, fence } of lines) {
    if (fence !== 'graphql') continue;
    const last = blocks.at(-1);
    if (last && last.line + last.text.split('\n').length === line) last.text += `\n${text}`;
    else blocks.push({ line, text });
  }
  return blocks;
}

const npmBuiltins = new Set(['install', 'ci', 'exec', 'i']);

describe('README.md', () => {
  const values: Record<string, string> = { slug: 'ohchr-remedy-tech-2021', number: '1' };

  beforeAll(async () => {
    process.env.METRICS_TOKEN = 'readme-metrics-token';
    // A personal feed needs a registration, on an event that takes them.
    await importEvent(futureEvent('readme'));
    const client = apiClient();
    const { event } = await client.request(SessionAvailabilityDocument, { slug: 'readme' });
    const { registerForEvent } = await client.request(RegisterForEventDocument, {
      input: { eventSlug: 'readme', name: 'Ana', email: 'ana@example.org', attendanceMode: 'REMOTE', sessionIds: [event!.agenda[0]!.items[0]!.session!.id], consent: true },
    });
    if (registerForEvent.__typename !== 'RegisterForEventPayload') throw new Error('registration refused');
    const { json } = await postGraphQL({
      query: 'query ($manageToken: String!) { registration(manageToken: $manageToken) { calendar { icsUrl } } }',
      variables: { manageToken: registerForEvent.manageToken },
    });
    values.manageToken = registerForEvent.manageToken!;
    values.feedKey = /\/registrations\/([^/]+)\.ics$/.exec(json.data.registration.calendar.icsUrl)![1]!;
  });

  it('gives HTTP paths that answer, on the seeded event', async () => {
    const paths = httpPaths();
    expect(paths.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const { line, text } of paths) {
      const unknown = [...text.matchAll(/<(\w+)>/g)].map((match) => match[1]!).filter((name) => !(name in values));
      if (unknown.length) {
        failures.push(`README.md:${line}: ${text}: no value for <${unknown.join('>, <')}> in tests/readme.test.ts`);
        continue;
      }
      const path = text.replace(/<(\w+)>/g, (_match, name: string) => values[name]!);
      // /metrics has a token of its own (METRICS_TOKEN).
      const token = path === '/metrics' ? process.env.METRICS_TOKEN : process.env.ADMIN_SECRET;
      const response = await yoga.fetch(`http://api.test${path}`, { headers: { accept: 'text/html, */*', authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.status !== 200) failures.push(`README.md:${line}: GET ${path} answered ${response.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives npm commands that exist', () => {
    const commands = npmCommands();
    expect(commands.length).toBeGreaterThan(5);
    const failures = commands.flatMap(({ line, text }) => {
      const [, verb, script] = text.split(' ');
      const known = verb === 'run' ? script !== undefined && script in packageJson.scripts : verb === 'start' || verb === 'test' ? verb in packageJson.scripts : npmBuiltins.has(verb!);
      return known ? [] : [`README.md:${line}: ${text}: no such script in package.json`];
    });
    expect(failures).toEqual([]);
  });

  it('names the test files skipped on PGlite, and how many GraphQL over HTTP MAYs the API does not follow', async () => {
    const text = readme.join(' ').replace(/\s+/g, ' ');
    const named = /On PGlite, the test files that run two server processes on one database are skipped.*?: ((?:`tests\/[\w.-]+`(?:, | and )?)+)/.exec(text)?.[1];
    const skipped = [];
    for (const file of await readdir('tests')) if (file.endsWith('.test.ts') && (await readFile(`tests/${file}`, 'utf8')).match(/^describe\.runIf\(sharedDatabase\)/m)) skipped.push(`tests/${file}`);
    expect([...(named ?? '').matchAll(/`(tests\/[\w.-]+)`/g)].map((match) => match[1]).sort()).toEqual(skipped.sort());

    const numbers = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];
    const stated = /MUST and every SHOULD passes\. (\w+) MAYs?/.exec(text)?.[1];
    let unmet = 0;
    for (const audit of serverAudits({ url: 'http://api.test/graphql', fetchFn: yoga.fetch }).filter(({ name }) => name.startsWith('MAY'))) {
      if ((await audit.fn()).status !== 'ok') unmet += 1;
    }
    expect(stated).toBe(numbers[unmet]);
  });

  it('gives GraphQL examples that are valid against the schema', () => {
    const blocks = graphqlBlocks();
    expect(blocks.length).toBeGreaterThan(1);
    const failures = blocks.flatMap(({ line, text }) => {
      try {
        return validate(schema, parse(text)).map((error) => `README.md:${line + (error.locations?.[0]?.line ?? 1)}: ${error.message}`);
      } catch (error) {
        return [`README.md:${line}: ${(error as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
  });
});
