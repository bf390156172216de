import { describe, expect, it } from 'vitest';
import { EventAgendaDocument } from '../src/client/operations.js';
import { contentLanguageSettings } from '../src/content-languages.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { apiClient, withStatementLog } from './support/api.js';
import { generatedEvent } from './support/generated-event.js';

describe('the full agenda query', () => {
  it('sends the same fixed number of SQL statements for the seed and for 200 sessions with 1,000 panelists', async () => {
    const client = apiClient();
    // Loaded once per process, as `npm start` does before it listens; writes to events reload them.
    await contentLanguageSettings();
    const seeded = await withStatementLog(() => client.request(EventAgendaDocument, { slug: 'ohchr-remedy-tech-2021' }));
    expect(seeded.result.event!.sessions.totalCount).toBe(4);

    await importEvent(generatedEvent({ slug: 'large', sessions: 200, panelists: 1000 }));
    const large = await withStatementLog(() => client.request(EventAgendaDocument, { slug: 'large' }));
    const event = large.result.event!;
    expect(event.sessions.totalCount).toBe(200);
    expect(event.panelists.totalCount).toBe(1000);
    expect(event.agenda.flatMap((day) => day.items)).toHaveLength(200);
    expect(event.agenda.flatMap((day) => day.items).every((item) => item.session!.parts.length === 2)).toBe(true);

    expect(large.statements.length).toBe(seeded.statements.length);
    // What the number is, so a change to it shows in review.
    expect(seeded.statements.length).toBeLessThanOrEqual(3);
    console.log(`full agenda query: ${seeded.statements.length} SQL statements`);
  });
});

describe('seats left and waitlist lengths', () => {
  it('load in the same number of SQL statements for 2 sessions and for 200', async () => {
    const { futureEvent } = await import('./support/future-event.js');
    const { SessionAvailabilityDocument } = await import('../src/client/operations.js');
    const client = apiClient();
    await importEvent(futureEvent('two-sessions', { remoteSeats: 3 }));
    const many = generatedEvent({ slug: 'many-sessions', sessions: 200, panelists: 10 });
    many.event.sessions = many.event.sessions!.map((session) => ({ ...session, remoteSeats: 3 }));
    await importEvent(many);
    const small = await withStatementLog(() => client.request(SessionAvailabilityDocument, { slug: 'two-sessions' }));
    const large = await withStatementLog(() => client.request(SessionAvailabilityDocument, { slug: 'many-sessions' }));
    expect(large.result.event!.agenda.flatMap((day) => day.items).filter((item) => item.session)).toHaveLength(200);
    expect(large.statements.length).toBe(small.statements.length);
    expect(small.statements.length).toBeLessThanOrEqual(2);
  });
});
