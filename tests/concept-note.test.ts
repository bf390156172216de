import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventAgendaDocument, type EventAgendaQuery } from '../src/client/operations.js';
import { apiClient } from './support/api.js';

// Every fact the seed holds is read back through the API and compared with the concept note
// itself (seed/concept-note.txt, the customer's text as received), not with the seed file.
const note = await readFile('seed/concept-note.txt', 'utf8');
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
const noteText = flat(note.replace(/ \(\[background on [^\]]+\]\(#\)\)/g, '').replace(/\[([^\]]+)\]\(#\)/g, '$1'));
const month = { September: '09' } as const;

/** The DRAFT AGENDA table: for each day, its items with local start/end times and titles. */
function agendaFromNote() {
  const agenda = note.slice(note.indexOf('DRAFT AGENDA'));
  const days: { date: string; items: { start: string; end: string; title: string }[] }[] = [];
  for (const line of agenda.split('\n')) {
    const day = /^DAY \d: \w+, (\d+) (September) (\d{4})/.exec(line);
    if (day) days.push({ date: `${day[3]}-${month[day[2] as 'September']}-${day[1]!.padStart(2, '0')}`, items: [] });
    const item = /^(\d\d:\d\d) – (\d\d:\d\d)\t(.+)$/.exec(line);
    if (item) days.at(-1)!.items.push({ start: item[1]!, end: item[2]!, title: item[3]! });
  }
  return days;
}

const localTime = (instant: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));

let data: EventAgendaQuery;
let event: NonNullable<EventAgendaQuery['event']>;
beforeAll(async () => {
  data = await apiClient().request(EventAgendaDocument, { slug: 'ohchr-remedy-tech-2021' });
  event = data.event!;
});

describe('the seeded consultation, read through the API, matches the concept note', () => {
  it('has the note\'s title, dates, place, format, languages and registration', () => {
    expect(note).toContain(event.title.toUpperCase());
    expect(event.organizer).toBe('OHCHR');
    expect(event.status).toBe('DRAFT');
    expect(note).toContain('DRAFT CONCEPT NOTE');
    expect(event.timeZone).toBe('Europe/Zurich');
    expect(note).toContain(`${event.venue!.name}, ${event.venue!.room} and online through ${event.onlinePlatform} (hybrid format)`);
    expect(event.format).toBe('HYBRID');
    const languages = event.interpretationLanguages.map((language) => language.name);
    expect(note).toContain(`Interpretation available in ${languages.slice(0, -1).join(', ')} and ${languages.at(-1)}`);
    expect(languages).toEqual(['English', 'Spanish', 'French']);
    expect(note).toContain(`<${event.registrationUrl}>`);
    expect(event.registrationRequired).toBe(true);
    expect(note).toContain('Registration through Indico is mandatory for all participants (both in-person participants and participants joining remotely)');
    const agenda = agendaFromNote();
    expect(localTime(event.startsAt, event.timeZone)).toBe(agenda[0]!.items[0]!.start);
    expect(localTime(event.endsAt, event.timeZone)).toBe(agenda.at(-1)!.items.at(-1)!.end);
  });

  it('quotes the background and the mandate from the note', () => {
    for (const paragraph of [...event.background!.split('\n\n'), event.mandate!, event.summary!]) {
      expect(noteText).toContain(flat(paragraph));
    }
    expect(event.mandate).toContain('resolution 44/15');
    expect(event.background).toContain('Accountability and Remedy Project (ARP)');
    expect(event.background).toContain('B-Tech project');
  });

  it('has the note\'s agenda: days in Geneva time, sessions and breaks at the note\'s times', () => {
    const fromApi = event.agenda.map((day) => ({
      date: day.date,
      items: day.items.map((item) => ({
        start: localTime(item.startsAt, event.timeZone),
        end: localTime(item.endsAt, event.timeZone),
        title: item.kind === 'BREAK' ? `<i>${item.title}</i>` : `Session ${item.session!.number}: ${item.title}`,
      })),
    }));
    const fromNote = agendaFromNote().map((day) => ({
      date: day.date,
      // The agenda line of Session 2 runs on into its parts; the parts are checked below.
      items: day.items.map((item) => ({ ...item, title: item.title.replace(/ Part I: .*$/, '') })),
    }));
    // The agenda line of Session 4 says "harm" where the session's heading says "harms".
    fromNote[1]!.items[2]!.title = fromNote[1]!.items[2]!.title.replace('human rights harm connected', 'human rights harms connected');
    expect(fromApi).toEqual(fromNote);
  });

  it('describes each session in the note\'s words, with its parts, format and mechanism type', () => {
    const sessions = event.sessions.edges.map((edge) => edge.node);
    expect(sessions.map((session) => session.number)).toEqual([1, 2, 3, 4]);
    for (const session of sessions) {
      expect(noteText).toContain(flat(`**Session ${session.number}: ${session.title}**`));
      for (const paragraph of session.description!.split('\n\n')) expect(noteText).toContain(flat(paragraph));
      for (const part of session.parts) expect(noteText).toContain(flat(part.description!));
      expect(session.panelists).toEqual([]);
    }
    expect(sessions.map((session) => session.mechanismType?.code ?? null)).toEqual([
      'JUDICIAL',
      'STATE_BASED_NON_JUDICIAL',
      null,
      'NON_STATE_BASED',
    ]);
    expect(sessions[0]!.format).toBe('PANEL');
    expect(noteText).toContain('A panel discussion will explore');
    const session2Parts = sessions[1]!.parts.map((part) => `Part ${'I'.repeat(part.position)}: ${part.title}.`);
    expect(session2Parts).toHaveLength(2);
    for (const part of session2Parts) expect(noteText).toContain(part);
    expect(sessions[3]!.parts.map((part) => part.position)).toEqual([1, 2]);
    // The note gives Session 4's parts no titles, so the API invents none.
    expect(sessions[3]!.parts.map((part) => part.title)).toEqual([null, null]);
  });

  it('lists the three types of grievance mechanism, with the note\'s examples', () => {
    const names = data.mechanismTypes.map((type) => type.name);
    expect(names).toHaveLength(3);
    for (const name of names) expect(noteText).toMatch(new RegExp(`- ${name}[;.]`));
    const stateBased = data.mechanismTypes.find((type) => type.code === 'STATE_BASED_NON_JUDICIAL')!;
    expect(noteText).toContain(`common examples include ${stateBased.examples.slice(0, -1).join(', ')} and ${stateBased.examples.at(-1)}`);
    expect(noteText).toContain(flat(stateBased.description!));
    for (const type of data.mechanismTypes) expect(type.sessions.totalCount).toBe(1);
  });

  it('lists the four foundational papers by their exact titles, with no invented URLs', () => {
    const papers = event.documents.filter((document) => document.kind === 'FOUNDATIONAL_PAPER');
    expect(papers).toHaveLength(4);
    for (const paper of papers) expect(note).toContain(`[${paper.title}](#)`);
    expect(noteText).toContain('four foundational papers have been released');
    expect(event.documents.map((document) => document.url)).toEqual(event.documents.map(() => null));
    expect(event.documents.filter((document) => document.status === 'DRAFT').map((document) => document.kind)).toEqual(['CONCEPT_NOTE', 'AGENDA']);
  });

  it('names no panelists, since the note names none', () => {
    expect(event.panelists.totalCount).toBe(0);
  });
});
