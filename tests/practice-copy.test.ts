import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { RegisterForEventDocument, SessionAvailabilityDocument } from '../src/client/operations.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { practiceCopy, practiceLabel } from '../seed/practice-copy.js';
import { apiClient } from './support/api.js';

const seedFile = 'seed/ohchr-remedy-tech-2021.json';

describe('the practice copy of the seed (npm run seed:practice)', () => {
  it('is a labelled copy in the future, same weekdays and clock times, that takes registrations', async () => {
    const seed = JSON.parse(await readFile(seedFile, 'utf8'));
    const now = new Date('2026-11-29T20:00:00Z');
    const copy = practiceCopy(seed, now) as typeof seed;
    expect(copy.event.slug).toBe('ohchr-remedy-tech-2021-practice');
    expect(copy.event.title).toBe(`${practiceLabel}: ${seed.event.title}`);
    expect(Date.parse(copy.event.startsAt)).toBeGreaterThan(now.getTime() + 7 * 24 * 3_600_000);
    const original = seed.event.sessions[0].startsAt as string;
    const moved = copy.event.sessions[0].startsAt as string;
    expect(moved.slice(10)).toBe(original.slice(10)); // 'T10:00:00+02:00'
    expect(new Date(moved).getUTCDay()).toBe(new Date(original).getUTCDay());
    expect({ ...copy.event, slug: undefined, title: undefined, startsAt: undefined, endsAt: undefined, sessions: undefined, breaks: undefined })
      .toEqual({ ...seed.event, slug: undefined, title: undefined, startsAt: undefined, endsAt: undefined, sessions: undefined, breaks: undefined });

    // Under another slug: the next test imports the copy itself into this file's database on PostgreSQL.
    const slug = 'practice-copy-in-process';
    const current = practiceCopy(seed) as typeof seed;
    await importEvent({ ...current, event: { ...current.event, slug } });
    const client = apiClient();
    const { event } = await client.request(SessionAvailabilityDocument, { slug });
    const { registerForEvent } = await client.request(RegisterForEventDocument, {
      input: {
        eventSlug: slug, name: 'Ana', email: 'ana@example.org', stakeholderGroup: 'CIVIL_SOCIETY', attendanceMode: 'REMOTE',
        sessionIds: [event!.agenda[0]!.items[0]!.session!.id], interpretationLanguage: 'es', consent: true,
      },
    });
    expect(registerForEvent.__typename === 'RegisterForEventPayload' && registerForEvent.registration!.sessions.map((choice) => choice.status)).toEqual(['CONFIRMED']);
  });

  it('is imported by the npm script', async () => {
    // Its own database: this process holds the test file's PGlite open.
    const { adminUrl, template } = inject('databaseTemplate');
    const env = { ...process.env };
    if (!adminUrl) {
      env.PGLITE_DIR = await mkdtemp(join(tmpdir(), 'event-api-practice-'));
      await cp(template, env.PGLITE_DIR, { recursive: true });
    }
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'seed:practice'], { env });
    expect(stdout.trim()).toMatch(/^seed\/ohchr-remedy-tech-2021\.json \(as ohchr-remedy-tech-2021-practice\): [1-9]\d* created, 0 updated, 0 deleted$/);
  });
});
