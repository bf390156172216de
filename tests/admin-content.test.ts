import { beforeAll, describe, expect, it } from 'vitest';
import type { CreateEventInput, CreateSessionInput } from '../src/client/operations.js';

process.env.ADMIN_SECRET = 'content-admin-secret';

const ops = await import('../src/client/operations.js');
const { prisma } = await import('../src/db/client.js');
const { importEvent } = await import('../src/resolvers/event-import.js');
const { apiClient } = await import('./support/api.js');
const { futureEvent } = await import('./support/future-event.js');

const asAdmin = apiClient({ authorization: 'Bearer content-admin-secret' });
const anonymous = apiClient();

/** The member of a result union the test expects, or a failure that shows what came instead. */
function expectResult<T extends { __typename: string }, N extends T['__typename']>(result: T, typename: N): Extract<T, { __typename: N }> {
  if (result.__typename !== typename) throw new Error(`expected ${typename}, got ${JSON.stringify(result)}`);
  return result as Extract<T, { __typename: N }>;
}

/** The input fields a ValidationError names. */
function paths(result: { __typename: string; fields?: { path: string }[] }): string[] {
  if (result.__typename !== 'ValidationError') throw new Error(`expected ValidationError, got ${JSON.stringify(result)}`);
  return result.fields!.map((field) => field.path);
}

// Read as the public does, through the response cache: admin writes must drop what it holds.
const content = async (slug: string) => (await anonymous.request(ops.EventContentDocument, { slug })).event!;
const latestChange = async (slug: string) => (await content(slug)).changes.edges[0]?.node;

async function createEvent(slug: string, overrides: Partial<CreateEventInput> = {}) {
  const { createEvent: result } = await asAdmin.request(ops.CreateEventDocument, {
    input: {
      slug,
      title: `Consultation ${slug}`,
      organizer: 'OHCHR',
      status: 'CONFIRMED',
      startsAt: '2031-05-05T07:00:00.000Z',
      endsAt: '2031-05-06T17:00:00.000Z',
      timeZone: 'Europe/Zurich',
      format: 'HYBRID',
      ...overrides,
    },
  });
  return expectResult(result, 'EventPayload').event;
}

async function createSession(eventId: string, overrides: Partial<CreateSessionInput> = {}) {
  const { createSession: result } = await asAdmin.request(ops.CreateSessionDocument, {
    input: { eventId, number: 1, title: 'Opening', startsAt: '2031-05-05T08:00:00.000Z', endsAt: '2031-05-05T10:00:00.000Z', ...overrides },
  });
  return expectResult(result, 'SessionPayload').session;
}

const mechanismTypeId = async (code: string) => (await anonymous.request(ops.EventAgendaDocument, { slug: 'none' })).mechanismTypes.find((type) => type.code === code)!.id;
const sequenceOf = async (number: number, slug: string) => (await prisma.session.findFirstOrThrow({ where: { number, event: { slug } } })).sequence;

describe('events', () => {
  it('are created once when the same slug is sent many times at once; the others are told the slug is taken', async () => {
    const input = { slug: 'created-at-once', title: 'At once', organizer: 'OHCHR', status: 'CONFIRMED', startsAt: '2031-05-05T07:00:00.000Z', endsAt: '2031-05-06T17:00:00.000Z', timeZone: 'Europe/Zurich', format: 'HYBRID' } as const;
    const results = await Promise.all(Array.from({ length: 6 }, () => asAdmin.request(ops.CreateEventDocument, { input }).then(({ createEvent }) => createEvent)));
    expect(results.filter((result) => result.__typename === 'EventPayload')).toHaveLength(1);
    for (const refused of results.filter((result) => result.__typename !== 'EventPayload')) {
      expect(refused).toMatchObject({ __typename: 'ValidationError', fields: [{ path: 'input.slug' }] });
    }
    expect(await prisma.event.count({ where: { slug: 'created-at-once' } })).toBe(1);
  });

  it('are created, updated and deleted; a change of time is published, other details are not', async () => {
    const event = await createEvent('content-event', { venue: { name: 'Palais des Nations', room: 'Room XX' }, interpretationLanguages: ['en', 'fr'] });
    expect(event).toMatchObject({ slug: 'content-event', timeZone: 'Europe/Zurich', venue: { name: 'Palais des Nations', room: 'Room XX' }, revision: 0 });
    expect((await content('content-event')).revision).toBe(0);

    const renamed = await asAdmin.request(ops.UpdateEventDocument, { input: { id: event.id, title: 'Renamed', venue: null } });
    expect(expectResult(renamed.updateEvent, 'EventPayload').event).toMatchObject({ title: 'Renamed', venue: null, revision: 0 });

    const longer = await asAdmin.request(ops.UpdateEventDocument, { input: { id: event.id, endsAt: '2031-05-07T17:00:00.000Z', timeZone: 'Europe/Paris' } });
    expect(expectResult(longer.updateEvent, 'EventPayload').event).toMatchObject({ endsAt: '2031-05-07T17:00:00.000Z', revision: 1 });
    expect(await latestChange('content-event')).toEqual({ revision: 1, kind: 'CHANGED', sessionNumber: null, title: 'Renamed', fields: ['endsAt', 'timeZone'] });

    const deleted = await asAdmin.request(ops.DeleteEventDocument, { input: { id: event.id } });
    expect(expectResult(deleted.deleteEvent, 'DeletePayload')).toEqual({ __typename: 'DeletePayload', deletedId: event.id, event: null });
    expect((await anonymous.request(ops.EventAgendaDocument, { slug: 'content-event' })).event).toBeNull();
  });

  it('refuses bad input, naming each field, and writes nothing', async () => {
    const events = await prisma.event.count();
    const { createEvent: bad } = await asAdmin.request(ops.CreateEventDocument, {
      input: {
        slug: 'Not A Slug',
        title: ' ',
        organizer: 'OHCHR',
        status: 'CONFIRMED',
        startsAt: '2031-05-05T07:00:00.000Z',
        endsAt: '2031-05-06T17:00:00.000Z',
        timeZone: 'Mars/Olympus',
        format: 'ONLINE',
        interpretationLanguages: ['en', 'not a language'],
        registrationUrl: 'ftp://example.org/register',
      },
    });
    expect(paths(bad)).toEqual(['input.slug', 'input.title', 'input.timeZone', 'input.interpretationLanguages[1]', 'input.registrationUrl']);

    const { createEvent: backwards } = await asAdmin.request(ops.CreateEventDocument, {
      input: { slug: 'ohchr-remedy-tech-2021', title: 'Again', organizer: 'OHCHR', status: 'DRAFT', startsAt: '2031-05-06T00:00:00.000Z', endsAt: '2031-05-05T00:00:00.000Z', timeZone: 'UTC', format: 'ONLINE' },
    });
    expect(paths(backwards)).toEqual(['input.endsAt', 'input.slug']);
    expect(await prisma.event.count()).toBe(events);

    // The seeded sessions run on 23 and 24 September 2021: the event can't start after the first.
    const seeded = await content('ohchr-remedy-tech-2021');
    const stored = await prisma.event.findUniqueOrThrow({ where: { slug: 'ohchr-remedy-tech-2021' } });
    const { updateEvent: late } = await asAdmin.request(ops.UpdateEventDocument, { input: { id: seeded.id, startsAt: '2021-09-24T00:00:00.000Z', timeZone: 'Nowhere' } });
    expect(paths(late)).toEqual(['input.timeZone']);
    const { updateEvent: shrunk } = await asAdmin.request(ops.UpdateEventDocument, { input: { id: seeded.id, startsAt: '2021-09-24T00:00:00.000Z' } });
    expect(paths(shrunk)).toEqual(['input.startsAt']);
    const { updateEvent: untitled } = await asAdmin.request(ops.UpdateEventDocument, { input: { id: seeded.id, title: null } });
    expect(paths(untitled)).toEqual(['input.title']);
    expect(await prisma.event.findUniqueOrThrow({ where: { slug: 'ohchr-remedy-tech-2021' } })).toEqual(stored);
  });
});

describe('sessions', () => {
  let eventId: string;
  beforeAll(async () => {
    eventId = (await createEvent('content-sessions')).id;
  });

  it('are created, changed and deleted, each change published as a revision', async () => {
    const judicial = await mechanismTypeId('JUDICIAL');
    const session = await createSession(eventId, { format: 'PANEL', mechanismTypeId: judicial, roomSeats: 30, remoteSeats: 100, zoomJoinUrl: 'https://zoom.example/j/999' });
    expect(session).toMatchObject({ number: 1, title: 'Opening', format: 'PANEL', mechanismType: { code: 'JUDICIAL' }, availability: [{ seats: 30 }, { seats: 100 }] });
    expect(await prisma.session.findFirstOrThrow({ where: { number: 1, event: { slug: 'content-sessions' } } })).toMatchObject({ zoomJoinUrl: 'https://zoom.example/j/999', sequence: 0 });
    expect(await latestChange('content-sessions')).toEqual({ revision: 1, kind: 'ADDED', sessionNumber: 1, title: 'Opening', fields: [] });

    const change = { id: session.id, title: 'Opening, moved', startsAt: '2031-05-05T09:00:00.000Z', endsAt: '2031-05-05T11:00:00.000Z', mechanismTypeId: null, zoomJoinUrl: 'https://zoom.example/j/1000' };
    const moved = await asAdmin.request(ops.UpdateSessionDocument, { input: change });
    expect(expectResult(moved.updateSession, 'SessionPayload').session).toMatchObject({ title: 'Opening, moved', startsAt: change.startsAt, mechanismType: null, format: 'PANEL' });
    expect(await latestChange('content-sessions')).toEqual({
      revision: 2,
      kind: 'CHANGED',
      sessionNumber: 1,
      title: 'Opening, moved',
      fields: ['title', 'startsAt', 'endsAt', 'zoomJoinUrl', 'mechanismTypeId'],
    });
    expect(await sequenceOf(1, 'content-sessions')).toBe(1);
    expect((await prisma.session.findFirstOrThrow({ where: { number: 1, event: { slug: 'content-sessions' } } })).zoomJoinUrl).toBe('https://zoom.example/j/1000');

    // The same change again changes nothing, so nothing is published.
    await asAdmin.request(ops.UpdateSessionDocument, { input: change });
    expect((await content('content-sessions')).revision).toBe(2);

    const deleted = await asAdmin.request(ops.DeleteSessionDocument, { input: { id: session.id } });
    expect(expectResult(deleted.deleteSession, 'DeletePayload')).toMatchObject({ deletedId: session.id, event: { slug: 'content-sessions', revision: 3 } });
    expect(await latestChange('content-sessions')).toEqual({ revision: 3, kind: 'REMOVED', sessionNumber: 1, title: 'Opening, moved', fields: [] });
    expect((await content('content-sessions')).sessions.edges).toEqual([]);

    const gone = await asAdmin.request(ops.UpdateSessionDocument, { input: { id: session.id, title: 'Back?' } });
    expect(gone.updateSession).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('must lie within their event, end after they start and have a number of their own', async () => {
    const session = await createSession(eventId, { number: 2, title: 'Second' });
    const revision = (await content('content-sessions')).revision;

    const { createSession: taken } = await asAdmin.request(ops.CreateSessionDocument, {
      input: { eventId, number: 2, title: 'Clash', startsAt: '2031-05-04T08:00:00.000Z', endsAt: '2031-05-05T10:00:00.000Z' },
    });
    expect(paths(taken)).toEqual(['input.startsAt', 'input.number']);
    const { createSession: malformed } = await asAdmin.request(ops.CreateSessionDocument, {
      input: { eventId, number: 0, title: '  ', startsAt: '2031-05-05T08:00:00.000Z', endsAt: '2031-05-05T10:00:00.000Z', roomSeats: -1, zoomJoinUrl: 'javascript:alert(1)' },
    });
    expect(paths(malformed)).toEqual(['input.number', 'input.title', 'input.roomSeats', 'input.zoomJoinUrl']);
    const { updateSession: backwards } = await asAdmin.request(ops.UpdateSessionDocument, { input: { id: session.id, endsAt: '2031-05-05T07:30:00.000Z' } });
    expect(paths(backwards)).toEqual(['input.endsAt']);
    const { updateSession: late } = await asAdmin.request(ops.UpdateSessionDocument, { input: { id: session.id, endsAt: '2031-05-07T10:00:00.000Z' } });
    expect(paths(late)).toEqual(['input.startsAt']);

    const after = await content('content-sessions');
    expect(after.revision).toBe(revision);
    expect(after.sessions.edges.map((edge) => [edge.node.number, edge.node.title, edge.node.endsAt])).toEqual([[2, 'Second', '2031-05-05T10:00:00.000Z']]);
  });

  it('hold parts, whose changes are published as changes to the session', async () => {
    const session = await createSession(eventId, { number: 3, title: 'With parts', startsAt: '2031-05-06T08:00:00.000Z', endsAt: '2031-05-06T10:00:00.000Z' });
    const created = await asAdmin.request(ops.CreatePartDocument, { input: { sessionId: session.id, position: 1, title: 'Courts' } });
    const part = expectResult(created.createPart, 'PartPayload').part;
    expect(await latestChange('content-sessions')).toMatchObject({ kind: 'CHANGED', sessionNumber: 3, fields: ['parts'] });
    expect(await sequenceOf(3, 'content-sessions')).toBe(1);

    const { createPart: taken } = await asAdmin.request(ops.CreatePartDocument, { input: { sessionId: session.id, position: 1 } });
    expect(paths(taken)).toEqual(['input.position']);
    const second = expectResult((await asAdmin.request(ops.CreatePartDocument, { input: { sessionId: session.id, position: 2 } })).createPart, 'PartPayload').part;
    const renamed = await asAdmin.request(ops.UpdatePartDocument, { input: { id: part.id, title: 'Courts and tribunals', description: 'Judicial remedy.' } });
    expect(expectResult(renamed.updatePart, 'PartPayload').part).toEqual({ id: part.id, position: 1, title: 'Courts and tribunals', description: 'Judicial remedy.' });
    const deleted = await asAdmin.request(ops.DeletePartDocument, { input: { id: second.id } });
    expect(expectResult(deleted.deletePart, 'DeletePayload').deletedId).toBe(second.id);

    const shown = (await content('content-sessions')).sessions.edges.find((edge) => edge.node.number === 3)!.node;
    expect(shown.parts).toEqual([{ id: part.id, position: 1, title: 'Courts and tribunals' }]);
    expect(await sequenceOf(3, 'content-sessions')).toBe(4);
  });

  it('give panelists roles in sessions and parts, published as changes to the session', async () => {
    const session = await createSession(eventId, { number: 4, title: 'Panel', startsAt: '2031-05-06T11:00:00.000Z', endsAt: '2031-05-06T12:00:00.000Z' });
    const part = expectResult((await asAdmin.request(ops.CreatePartDocument, { input: { sessionId: session.id, position: 1 } })).createPart, 'PartPayload').part;
    const created = await asAdmin.request(ops.CreatePanelistDocument, { input: { eventId, key: 'ana', name: 'Ana Moderator', affiliation: 'OHCHR' } });
    const ana = expectResult(created.createPanelist, 'PanelistPayload').panelist;
    const ben = expectResult((await asAdmin.request(ops.CreatePanelistDocument, { input: { eventId, key: 'ben', name: 'Ben Speaker' } })).createPanelist, 'PanelistPayload').panelist;
    const { createPanelist: taken } = await asAdmin.request(ops.CreatePanelistDocument, { input: { eventId, key: 'ana', name: 'Another Ana' } });
    expect(paths(taken)).toEqual(['input.key']);
    const revision = (await content('content-sessions')).revision;

    const moderator = await asAdmin.request(ops.AssignPanelistDocument, { input: { panelistId: ana.id, sessionId: session.id, role: 'MODERATOR' } });
    expect(expectResult(moderator.assignPanelist, 'SessionPayload').session.panelists).toEqual([{ role: 'MODERATOR', part: null, panelist: { id: ana.id, name: 'Ana Moderator' } }]);
    const speaker = await asAdmin.request(ops.AssignPanelistDocument, { input: { panelistId: ben.id, sessionId: session.id, partId: part.id, role: 'SPEAKER' } });
    expect(expectResult(speaker.assignPanelist, 'SessionPayload').session.panelists.map((role) => [role.panelist.name, role.role, role.part?.position ?? null])).toEqual([
      ['Ana Moderator', 'MODERATOR', null],
      ['Ben Speaker', 'SPEAKER', 1],
    ]);
    expect(await latestChange('content-sessions')).toMatchObject({ revision: revision + 2, kind: 'CHANGED', sessionNumber: 4, fields: ['panelists'] });

    // A role in the seeded consultation's session is not in this event.
    const foreign = await prisma.session.findFirstOrThrow({ where: { number: 1, event: { slug: 'ohchr-remedy-tech-2021' } } });
    const { assignPanelist: elsewhere } = await asAdmin.request(ops.AssignPanelistDocument, {
      input: { panelistId: ana.id, sessionId: Buffer.from(`Session:${foreign.id}`).toString('base64'), role: 'PANELIST' },
    });
    expect(paths(elsewhere)).toEqual(['input.sessionId']);

    const renamed = await asAdmin.request(ops.UpdatePanelistDocument, { input: { id: ana.id, name: 'Ana M.', affiliation: null } });
    expect(expectResult(renamed.updatePanelist, 'PanelistPayload').panelist).toEqual({ id: ana.id, name: 'Ana M.', affiliation: null, bio: null });
    expect((await content('content-sessions')).revision).toBe(revision + 2);

    const unassigned = await asAdmin.request(ops.UnassignPanelistDocument, { input: { panelistId: ben.id, sessionId: session.id, partId: part.id, role: 'SPEAKER' } });
    expect(expectResult(unassigned.unassignPanelist, 'SessionPayload').session.panelists.map((role) => role.panelist.name)).toEqual(['Ana M.']);
    const again = await asAdmin.request(ops.UnassignPanelistDocument, { input: { panelistId: ben.id, sessionId: session.id, partId: part.id, role: 'SPEAKER' } });
    expect(again.unassignPanelist.__typename).toBe('NotFoundError');

    const deleted = await asAdmin.request(ops.DeletePanelistDocument, { input: { id: ana.id } });
    expect(expectResult(deleted.deletePanelist, 'DeletePayload')).toMatchObject({ deletedId: ana.id, event: { revision: revision + 4 } });
    const after = await content('content-sessions');
    expect(after.sessions.edges.find((edge) => edge.node.number === 4)!.node.panelists).toEqual([]);
    expect(after.panelists.edges.map((edge) => edge.node.name)).toEqual(['Ben Speaker']);
    // Its part (in the calendar's description); roles are published but no calendar shows them.
    expect(await sequenceOf(4, 'content-sessions')).toBe(1);
  });
});

describe('documents', () => {
  it('are created in order, updated and deleted, without a schedule change', async () => {
    const { id: eventId } = await createEvent('content-documents');
    const create = async (title: string, url?: string) =>
      expectResult((await asAdmin.request(ops.CreateDocumentDocument, { input: { eventId, title, kind: 'BACKGROUND', url } })).createDocument, 'DocumentPayload').document;
    const note = await create('Concept note', 'https://example.org/concept-note.pdf');
    const paper = await create('Foundational paper');
    const { createDocument: taken } = await asAdmin.request(ops.CreateDocumentDocument, { input: { eventId, title: 'Concept note', kind: 'CONCEPT_NOTE' } });
    expect(paths(taken)).toEqual(['input.title']);

    const titleOf = async (id: string) => (await anonymous.request(ops.NodeDocument, { id })).node;
    expect(await titleOf(paper.id)).toMatchObject({ title: 'Foundational paper' });
    const updated = await asAdmin.request(ops.UpdateDocumentDocument, {
      input: { id: paper.id, title: 'Foundational paper (final)', kind: 'FOUNDATIONAL_PAPER', status: 'FINAL', url: 'https://example.org/paper.pdf' },
    });
    expect(expectResult(updated.updateDocument, 'DocumentPayload').document).toEqual({
      id: paper.id,
      title: 'Foundational paper (final)',
      kind: 'FOUNDATIONAL_PAPER',
      status: 'FINAL',
      url: 'https://example.org/paper.pdf',
    });
    expect(await titleOf(paper.id)).toMatchObject({ title: 'Foundational paper (final)' });
    const { updateDocument: badUrl } = await asAdmin.request(ops.UpdateDocumentDocument, { input: { id: paper.id, url: 'not a url' } });
    expect(paths(badUrl)).toEqual(['input.url']);
    expect((await content('content-documents')).documents.map((document) => [document.title, document.url])).toEqual([
      ['Concept note', 'https://example.org/concept-note.pdf'],
      ['Foundational paper (final)', 'https://example.org/paper.pdf'],
    ]);

    const deleted = await asAdmin.request(ops.DeleteDocumentDocument, { input: { id: note.id } });
    expect(expectResult(deleted.deleteDocument, 'DeletePayload')).toMatchObject({ deletedId: note.id, event: { slug: 'content-documents', revision: 0 } });
    expect((await content('content-documents')).documents.map((document) => document.title)).toEqual(['Foundational paper (final)']);
  });
});

describe('mechanism types', () => {
  it('can be deleted only when no session focuses on them, and created and updated', async () => {
    const judicial = await mechanismTypeId('JUDICIAL');
    const { deleteMechanismType: used } = await asAdmin.request(ops.DeleteMechanismTypeDocument, { input: { id: judicial } });
    expect(used).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });

    const seeded = await prisma.session.findFirstOrThrow({ where: { mechanismType: { code: 'JUDICIAL' } } });
    const cleared = await asAdmin.request(ops.UpdateSessionDocument, { input: { id: Buffer.from(`Session:${seeded.id}`).toString('base64'), mechanismTypeId: null } });
    expect(expectResult(cleared.updateSession, 'SessionPayload').session.mechanismType).toBeNull();
    const deleted = await asAdmin.request(ops.DeleteMechanismTypeDocument, { input: { id: judicial } });
    expect(expectResult(deleted.deleteMechanismType, 'DeletePayload')).toEqual({ __typename: 'DeletePayload', deletedId: judicial, event: null });
    expect((await anonymous.request(ops.EventAgendaDocument, { slug: 'none' })).mechanismTypes.map((type) => type.code)).not.toContain('JUDICIAL');

    const created = await asAdmin.request(ops.CreateMechanismTypeDocument, { input: { code: 'JUDICIAL', name: 'Judicial mechanisms', examples: ['Courts'] } });
    const type = expectResult(created.createMechanismType, 'MechanismTypePayload').mechanismType;
    expect(type).toMatchObject({ code: 'JUDICIAL', name: 'Judicial mechanisms', description: null, examples: ['Courts'] });
    const { createMechanismType: twice } = await asAdmin.request(ops.CreateMechanismTypeDocument, { input: { code: 'JUDICIAL', name: 'Again' } });
    expect(paths(twice)).toEqual(['input.code']);

    const updated = await asAdmin.request(ops.UpdateMechanismTypeDocument, { input: { id: type.id, description: 'State-based judicial mechanisms.' } });
    expect(expectResult(updated.updateMechanismType, 'MechanismTypePayload').mechanismType).toMatchObject({ description: 'State-based judicial mechanisms.', examples: ['Courts'] });
    const { updateMechanismType: unnamed } = await asAdmin.request(ops.UpdateMechanismTypeDocument, { input: { id: type.id, name: '' } });
    expect(paths(unnamed)).toEqual(['input.name']);
  });
});

describe('seats and registrations', () => {
  const slug = 'content-seats';
  let first: string;
  beforeAll(async () => {
    await importEvent(futureEvent(slug, { remoteSeats: 1 }));
    const { event } = await anonymous.request(ops.SessionAvailabilityDocument, { slug });
    first = event!.agenda[0]!.items[0]!.session!.id;
  });

  const register = async (email: string) => {
    const { registerForEvent } = await anonymous.request(ops.RegisterForEventDocument, {
      input: { eventSlug: slug, name: email, email, attendanceMode: 'REMOTE', sessionIds: [first], consent: true },
    });
    return expectResult(registerForEvent, 'RegisterForEventPayload');
  };
  const statusOf = async (manageToken: string) => (await anonymous.request(ops.MyRegistrationDocument, { manageToken })).registration!.sessions[0]!.status;

  it('raising remoteSeats confirms the first one waiting, with no schedule change', async () => {
    const a = await register('a@example.org');
    const b = await register('b@example.org');
    const c = await register('c@example.org');
    expect([await statusOf(a.manageToken!), await statusOf(b.manageToken!), await statusOf(c.manageToken!)]).toEqual(['CONFIRMED', 'WAITLISTED', 'WAITLISTED']);
    const before = (await content(slug)).revision;

    const raised = await asAdmin.request(ops.UpdateSessionDocument, { input: { id: first, remoteSeats: 2 } });
    expect(expectResult(raised.updateSession, 'SessionPayload').session.availability).toEqual([
      { attendanceMode: 'IN_PERSON', seats: null },
      { attendanceMode: 'REMOTE', seats: 2 },
    ]);
    expect([await statusOf(b.manageToken!), await statusOf(c.manageToken!)]).toEqual(['CONFIRMED', 'WAITLISTED']);
    // Seats are not the schedule: calendars and the agenda's revision stay as they were.
    expect((await content(slug)).revision).toBe(before);
    expect(await sequenceOf(1, slug)).toBe(0);

    // Fewer seats take no confirmed seat back.
    await asAdmin.request(ops.UpdateSessionDocument, { input: { id: first, remoteSeats: 1 } });
    expect([await statusOf(a.manageToken!), await statusOf(b.manageToken!)]).toEqual(['CONFIRMED', 'CONFIRMED']);
  });

  it('a session or event someone registered for is not deleted', async () => {
    const { deleteSession } = await asAdmin.request(ops.DeleteSessionDocument, { input: { id: first } });
    expect(deleteSession).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const event = await content(slug);
    const { deleteEvent } = await asAdmin.request(ops.DeleteEventDocument, { input: { id: event.id } });
    expect(deleteEvent).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect((await content(slug)).sessions.edges).toHaveLength(2);
  });
});

describe('without WRITE_EVENTS', () => {
  it('an anonymous caller and a token with other scopes are refused, and nothing changes', async () => {
    const { createAdminToken } = await asAdmin.request(ops.CreateAdminTokenDocument, { input: { name: 'reader', scopes: ['READ_REGISTRATIONS', 'MANAGE_TOKENS'] } });
    const reader = apiClient({ authorization: `Bearer ${expectResult(createAdminToken, 'IssuedAdminToken').token}` });
    const seeded = await content('ohchr-remedy-tech-2021');
    const session = seeded.sessions.edges[0]!.node;
    const judicial = await mechanismTypeId('JUDICIAL');

    for (const client of [anonymous, reader]) {
      const attempts = [
        (await client.request(ops.CreateEventDocument, {
          input: { slug: 'forbidden', title: 'No', organizer: 'No', status: 'DRAFT', startsAt: '2031-01-01T00:00:00Z', endsAt: '2031-01-02T00:00:00Z', timeZone: 'UTC', format: 'ONLINE' },
        })).createEvent,
        (await client.request(ops.UpdateEventDocument, { input: { id: seeded.id, startsAt: '2021-09-22T00:00:00Z' } })).updateEvent,
        (await client.request(ops.DeleteEventDocument, { input: { id: seeded.id } })).deleteEvent,
        (await client.request(ops.CreateSessionDocument, { input: { eventId: seeded.id, number: 9, title: 'No', startsAt: '2021-09-23T08:00:00Z', endsAt: '2021-09-23T09:00:00Z' } })).createSession,
        (await client.request(ops.UpdateSessionDocument, { input: { id: session.id, title: 'Hijacked', remoteSeats: 0 } })).updateSession,
        (await client.request(ops.DeleteSessionDocument, { input: { id: session.id } })).deleteSession,
        (await client.request(ops.CreatePartDocument, { input: { sessionId: session.id, position: 9 } })).createPart,
        (await client.request(ops.CreatePanelistDocument, { input: { eventId: seeded.id, key: 'no', name: 'No' } })).createPanelist,
        (await client.request(ops.CreateDocumentDocument, { input: { eventId: seeded.id, title: 'No', kind: 'AGENDA' } })).createDocument,
        (await client.request(ops.UpdateMechanismTypeDocument, { input: { id: judicial, name: 'No' } })).updateMechanismType,
        (await client.request(ops.DeleteMechanismTypeDocument, { input: { id: judicial } })).deleteMechanismType,
      ];
      for (const attempt of attempts) expect(attempt).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    }

    expect(await content('ohchr-remedy-tech-2021')).toEqual(seeded);
    expect(await prisma.event.count({ where: { slug: 'forbidden' } })).toBe(0);
    expect((await prisma.mechanismType.findUniqueOrThrow({ where: { code: 'JUDICIAL' } })).name).not.toBe('No');
  });
});
