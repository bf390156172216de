import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { prisma } from '../src/db/client.js';
import { ConflictError, ValidationError } from '../src/errors.js';
import { importEvent } from '../src/resolvers/event-import.js';

const seedFile = 'seed/ohchr-remedy-tech-2021.json';
const seed = async () => JSON.parse(await readFile(seedFile, 'utf8'));

/** Every row of every table the import writes, to compare before and after. */
async function snapshot() {
  return {
    events: await prisma.event.findMany({ orderBy: { id: 'asc' } }),
    sessions: await prisma.session.findMany({ orderBy: { id: 'asc' } }),
    parts: await prisma.part.findMany({ orderBy: { id: 'asc' } }),
    breaks: await prisma.break.findMany({ orderBy: { id: 'asc' } }),
    documents: await prisma.document.findMany({ orderBy: { id: 'asc' } }),
    panelists: await prisma.panelist.findMany({ orderBy: { id: 'asc' } }),
    roles: await prisma.sessionPanelist.findMany({ orderBy: { id: 'asc' } }),
    mechanismTypes: await prisma.mechanismType.findMany({ orderBy: { id: 'asc' } }),
  };
}

async function expectRejected(input: unknown, path: string) {
  const before = await snapshot();
  const error = await importEvent(input).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).issues.map((issue) => issue.path)).toContain(path);
  expect(await snapshot()).toEqual(before);
}

describe('importing a seed file', () => {
  it('changes nothing the second time', async () => {
    const before = await snapshot();
    expect(await importEvent(await seed())).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('takes concurrent runs of the same new file one after the other: one creates, the rest change nothing', async () => {
    const file = await seed();
    file.event.slug = 'imported-at-once';
    const runs = await Promise.allSettled(Array.from({ length: 6 }, () => importEvent(structuredClone(file))));
    expect(runs.map((run) => run.status)).toEqual(Array(6).fill('fulfilled'));
    const created = runs.map((run) => (run.status === 'fulfilled' ? run.value.created : -1)).sort((a, b) => b - a);
    expect(created[0]).toBeGreaterThan(0);
    expect(created.slice(1)).toEqual(Array(5).fill(0));
    expect(await prisma.event.count({ where: { slug: 'imported-at-once' } })).toBe(1);
  });

  it('updates only what the file changed, keeping ids', async () => {
    const file = await seed();
    const before = await snapshot();
    file.event.sessions[2].endsAt = '2021-09-24T11:30:00+02:00';
    file.event.documents[0].url = 'https://example.org/paper-1.pdf';
    expect(await importEvent(file)).toMatchObject({ created: 0, updated: 2, deleted: 0 });
    const after = await snapshot();
    expect(after.sessions.map((s) => s.id)).toEqual(before.sessions.map((s) => s.id));
    expect(after.sessions.find((s) => s.number === 3)!.endsAt.toISOString()).toBe('2021-09-24T09:30:00.000Z');
    expect(await importEvent(await seed())).toMatchObject({ created: 0, updated: 2, deleted: 0 });
  });

  it('refuses a bad file, naming the field by its path, and writes nothing', async () => {
    const badTime = await seed();
    badTime.event.sessions[1].startsAt = 'Thursday 3pm';
    await expectRejected(badTime, 'event.sessions[1].startsAt');

    const backwards = await seed();
    backwards.event.sessions[0].endsAt = '2021-09-23T09:00:00+02:00';
    await expectRejected(backwards, 'event.sessions[0].endsAt');

    const badZone = await seed();
    badZone.event.timeZone = 'Geneva';
    await expectRejected(badZone, 'event.timeZone');

    const unknownPanelist = await seed();
    unknownPanelist.event.sessions[3].parts[1].panelists = [{ panelist: 'nobody', role: 'SPEAKER' }];
    await expectRejected(unknownPanelist, 'event.sessions[3].parts[1].panelists[0].panelist');

    // Valid in itself, refused late inside the transaction: what was written before is rolled back.
    const lateFailure = await seed();
    lateFailure.event.title = 'A new title';
    lateFailure.mechanismTypes = [];
    await prisma.session.updateMany({ where: { number: 4 }, data: { mechanismTypeId: null } });
    await prisma.mechanismType.delete({ where: { code: 'NON_STATE_BASED' } });
    await expectRejected(lateFailure, 'event.sessions[3].mechanismType');
    expect((await prisma.event.findUnique({ where: { slug: 'ohchr-remedy-tech-2021' } }))!.title).not.toBe('A new title');
  });

  it('refuses to drop a session someone registered for', async () => {
    const file = await seed();
    const session = await prisma.session.findFirstOrThrow({ where: { number: 1 } });
    await prisma.registration.create({
      data: { eventId: session.eventId, name: 'A', email: 'a@example.org', attendanceMode: 'REMOTE', sessions: { create: { sessionId: session.id, status: 'CONFIRMED', attendanceMode: 'REMOTE' } } },
    });
    file.event.sessions = file.event.sessions.slice(1);
    await expect(importEvent(file)).rejects.toBeInstanceOf(ConflictError);
    expect(await prisma.session.count({ where: { eventId: session.eventId } })).toBe(4);
  });

  it('`npm run seed` reports the offending field and exits non-zero', async () => {
    const file = await seed();
    file.event.documents[2].kind = 'PAMPHLET';
    const path = join(tmpdir(), `bad-seed-${process.pid}.json`);
    await writeFile(path, JSON.stringify(file));
    const run = promisify(execFile)('npx', ['tsx', 'seed/run.ts', path], { env: process.env });
    const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('nothing written');
    expect(failure?.stderr).toContain('event.documents[2].kind');
  });
});
