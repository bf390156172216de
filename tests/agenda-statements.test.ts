import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EventAgendaDocument } from '../src/client/operations.js';
import { contentLanguageSettings } from '../src/rules/content-languages.js';
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

  it('sends as many in French, asked with `lang` or Accept-Language, with French text where the event has some', async () => {
    const file = JSON.parse(await readFile('tests/fixtures/multilingual-event.json', 'utf8'));
    await importEvent(file);
    const large = generatedEvent({ slug: 'large-fr', sessions: 200, panelists: 1000 });
    large.event.contentLanguages = ['en', 'fr'];
    large.event.sessions = large.event.sessions!.map((session) => ({ ...session, translations: { fr: { title: `Séance ${session.number} (données de test)` } } }));
    await importEvent(large);

    const english = await withStatementLog(() => apiClient().request(EventAgendaDocument, { slug: file.event.slug }));
    const small = await withStatementLog(() => apiClient().request(EventAgendaDocument, { slug: file.event.slug, lang: 'fr' }));
    const byHeader = await withStatementLog(() => apiClient({ 'accept-language': 'fr-CH, fr;q=0.9' }).request(EventAgendaDocument, { slug: 'large-fr' }));
    // `lang` on each of 200 sessions' fields: read from the rows' translations, no statement per row.
    const byArgument = await withStatementLog(() => apiClient().request(EventAgendaDocument, { slug: 'large-fr', lang: 'fr' }));
    expect(small.result.event!.title).toBe('Consultation de test en trois langues');
    expect(byHeader.result.event!.sessions.edges[0]!.node.title).toBe('Séance 1 (données de test)');
    expect(byArgument.result.event!.sessions.edges.at(-1)!.node.title).toBe('Séance 100 (données de test)');
    expect(small.statements.length).toBe(english.statements.length);
    expect(byHeader.statements.length).toBe(english.statements.length);
    expect(byArgument.statements.length).toBe(english.statements.length);
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
