import { readFile } from 'node:fs/promises';
import { print } from 'graphql';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.MAIL_POLL_SECONDS = '0.5';
  // No MANAGE_URL: messages give the manage key itself, and must say so.
  delete process.env.MANAGE_URL;
});

import { yoga } from '../src/app.js';
import { CancelRegistrationDocument, RegisterForEventDocument, RequestManageLinkDocument, UpdateRegistrationDocument, type RegisterForEventInput } from '../src/client/operations.js';
import { prisma } from '../src/db/client.js';
import { publicUrl } from '../src/public-url.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { calendarFeedKey } from '../src/rules/registrant-keys.js';
import { apiClient, postGraphQL } from './support/api.js';
import { futureEvent } from './support/future-event.js';
import { sessionIdsOf, startInboxAndWorker } from './support/mail.js';
import { sentTo, type Inbox } from './support/smtp.js';

const client = apiClient();
/** The multilingual fixture (French and Spanish test text), its sessions 1 and 3 with join links. */
const fixture = JSON.parse(await readFile('tests/fixtures/multilingual-event.json', 'utf8'));
const multilingual = fixture.event.slug as string;
fixture.event.sessions[0].zoomJoinUrl = 'https://zoom.example/j/301';
fixture.event.sessions[2].zoomJoinUrl = 'https://zoom.example/j/303';
const english = 'mail-content';
/** Session 2 of this one runs from 22:00 to midnight in Zurich. */
const late = futureEvent('mail-content-late');
Object.assign(late.event, { endsAt: '2031-03-11T03:00:00+01:00' });
Object.assign(late.event.sessions![1]!, { startsAt: '2031-03-10T22:00:00+01:00', endsAt: '2031-03-11T00:00:00+01:00' });
let inbox: Inbox;

beforeAll(async () => {
  await importEvent(fixture);
  await importEvent(futureEvent(english));
  await importEvent(late);
  inbox = await startInboxAndWorker();
});

afterAll(async () => {
  await inbox.close();
});

let count = 0;
async function register(eventSlug: string, sessions: number[], overrides: Partial<RegisterForEventInput> = {}) {
  const ids = await sessionIdsOf(eventSlug);
  const email = `content-${(count += 1)}-${Date.now()}@example.org`;
  const input: RegisterForEventInput = { eventSlug, name: 'Test Registrant', email, attendanceMode: 'REMOTE', sessionIds: sessions.map((number) => ids[number]!), consent: true, ...overrides };
  const { registerForEvent } = await client.request(RegisterForEventDocument, { input });
  if (registerForEvent.__typename !== 'RegisterForEventPayload') throw new Error(JSON.stringify(registerForEvent));
  const stored = await prisma.registration.findFirstOrThrow({ where: { email, event: { slug: eventSlug } } });
  return { email, manageToken: registerForEvent.manageToken!, stored };
}

const calendarOf = (mail: ParsedMail) => mail.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'));
// The confirmation is the mail with the calendar: a released join link goes out first, ahead of the queue.
const confirmationTo = (email: string) => inbox.waitFor((mail) => sentTo(email)(mail) && calendarOf(mail) !== undefined);
const icsOf = (mail: ParsedMail) => calendarOf(mail)!.content.toString('utf8');
const parsed = (ics: string) => new ICAL.Component(ICAL.parse(ics));
/** Each VEVENT's SUMMARY and DESCRIPTION, with their LANGUAGE parameters. */
const entries = (calendar: ICAL.Component) =>
  calendar.getAllSubcomponents('vevent').map((vevent) => {
    const [summary, description] = ['summary', 'description'].map((name) => vevent.getFirstProperty(name)!);
    return { summary: [summary!.getFirstValue(), summary!.getParameter('language')], description: [description!.getFirstValue() as string, description!.getParameter('language')] };
  });
/** The feed's own English words: none may show in a French or Spanish calendar. */
const englishWords = /Session \d|Part \d|Your registration|Join online|The link|your sessions|confirmed|remote/;

describe('a registrant\'s calendar in their language', () => {
  it('a French registrant\'s .ics, mailed and as their feed: French words throughout, French text where the fixture has it, each LANGUAGE saying whose text it is', async () => {
    const french = await register(multilingual, [1, 2, 3], { interpretationLanguage: 'fr' });
    const ics = icsOf(await confirmationTo(french.email));
    const feed = await (await yoga.fetch(`http://api.test/registrations/${calendarFeedKey(french.stored)}.ics`)).text();
    expect(ics).toBe(feed);
    const calendar = parsed(ics);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect([calendar.getFirstPropertyValue('name'), calendar.getFirstProperty('name')!.getParameter('language')]).toEqual(['Consultation de test en trois langues\u202f: vos séances', 'fr']);
    const [first, second, third] = entries(calendar);
    const linkLine = 'Le lien pour rejoindre la séance en ligne sera donné ici le dimanche 9 mars 2031 à 09:00, Europe/Zurich (heure normale d’Europe centrale).';
    expect(first).toEqual({
      summary: ['Séance 1\u202f: Les tribunaux et la réparation', 'fr'],
      description: [`Votre inscription\u202f: confirmée, à distance.\n\n${linkLine}\n\nComment les tribunaux réparent les préjudices.`, 'fr'],
    });
    // No French description: French words around the English text, which LANGUAGE names.
    expect(second).toEqual({
      summary: ['Séance 2\u202f: Les plaintes hors des tribunaux', 'fr'],
      description: [`Votre inscription\u202f: confirmée, à distance.\n\n${linkLine.replace('09:00', '14:00')}\n\nRegulators and ombudspersons.\n\nPartie 1\u202f: Les autorités de régulation\n\nPartie 2\u202f: Ombudspersons`, 'en'],
    });
    // No French title and no description: the title's LANGUAGE is English, the description is all French words.
    expect(third).toEqual({ summary: ['Séance 3\u202f: What affected people need', 'en'], description: [`Votre inscription\u202f: confirmée, à distance.\n\n${linkLine.replace('dimanche 9 mars 2031', 'lundi 10 mars 2031')}`, 'fr'] });
    for (const entry of [first, second, third]) expect(`${entry!.summary[0]}\n${entry!.description[0]}`).not.toMatch(englishWords);
  });

  it('a Spanish registrant of an event in English only: Spanish words, English text, and the released link', async () => {
    const spanish = await register(english, [1], { interpretationLanguage: 'es' });
    const calendar = parsed(icsOf(await confirmationTo(spanish.email)));
    expect(calendar.getFirstPropertyValue('name')).toBe('Consultation mail-content: sus sesiones');
    expect(entries(calendar)).toEqual([
      { summary: ['Sesión 1: Soon', 'en'], description: ['Su inscripción: confirmada, a distancia.\n\nUnirse en línea: https://zoom.example/j/111', 'es'] },
    ]);
  });
});

describe('the confirmation', () => {
  it('says when the join link comes, in words in the event\'s zone, gives the personal feed, and marks text in another language than the mail\'s', async () => {
    const french = await register(multilingual, [1, 3], { interpretationLanguage: 'fr' });
    const mail = await confirmationTo(french.email);
    expect(mail.text).toContain('Le lien pour rejoindre la séance 1 en ligne vous sera envoyé par courriel le dimanche 9 mars 2031 à 09:00, Europe/Zurich (heure normale d’Europe centrale).');
    expect(mail.text).toContain('Le lien pour rejoindre la séance 3 en ligne vous sera envoyé par courriel le lundi 10 mars 2031 à 09:00');
    const feedUrl = publicUrl(`registrations/${calendarFeedKey(french.stored)}.ics`).href;
    expect(mail.text).toContain(`Votre agenda, à suivre dans une application de calendrier (il suit chaque changement)\u202f:\n${feedUrl}`);
    expect(mail.html).toContain(`<a href="${feedUrl}">`);
    expect(mail.html).toMatch(/^<!doctype html><html lang="fr">/);
    expect(mail.html).toContain('<li>Séance 1\u202f: Les tribunaux et la réparation (');
    expect(mail.html).toContain('<li>Séance 3\u202f: <span lang="en">What affected people need</span> (');
    const [ics] = mail.attachments;
    expect(ics!.contentType).toBe('text/calendar');
    expect(icsOf(mail)).toMatch(/^BEGIN:VCALENDAR\r\n(?:.+\r\n)*METHOD:PUBLISH\r\n/);

    // A Spanish mail of an event with no Spanish title marks the title in the intro too.
    const spanish = await register(english, [2], { interpretationLanguage: 'es', attendanceMode: 'IN_PERSON' });
    const spanishMail = await confirmationTo(spanish.email);
    expect(spanishMail.html).toContain('Está inscrito/a en <span lang="en">Consultation mail-content</span>. Sus sesiones:');
    expect(spanishMail.text).not.toContain('El enlace para unirse');
  });

  it('shows a session that crosses midnight with the day it ends, in the mail and on the agenda page', async () => {
    const night = await register('mail-content-late', [2], { interpretationLanguage: 'fr' });
    const mail = await confirmationTo(night.email);
    expect(mail.text).toContain('Séance 2\u202f: Later (lundi 10 mars 2031 à 22:00 – mardi 11 mars 2031 à 00:00, Europe/Zurich');
    const page = await (await yoga.fetch('http://api.test/embed/mail-content-late?lang=fr')).text();
    expect(page).toMatch(/<p class="when" dir="ltr"><time datetime="2031-03-10T21:00:00.000Z">lun\. 22:00<\/time> – <time datetime="2031-03-10T23:00:00.000Z">mar\. 00:00<\/time><\/p>/);
  });
});

describe('without MANAGE_URL', () => {
  it('the cancellation speaks of the manage key it gives, not of a link', async () => {
    for (const [language, key, link] of [['en', 'manage key (below)', /manage link/], ['fr', 'clé de gestion (ci-dessous)', /lien de gestion/]] as const) {
      const registrant = await register(english, [2], { interpretationLanguage: language, attendanceMode: 'IN_PERSON' });
      await confirmationTo(registrant.email);
      await client.request(CancelRegistrationDocument, { input: { manageToken: registrant.manageToken } });
      const cancelled = await inbox.waitFor((mail) => sentTo(registrant.email)(mail) && mail !== inbox.to(registrant.email)[0]);
      expect(cancelled.text).toContain(key);
      expect(cancelled.text).not.toMatch(link);
    }
  });
});

describe('text a registrant types', () => {
  const refused = async (input: Partial<RegisterForEventInput>, path: string, message: RegExp) => {
    const email = `refused-${(count += 1)}@example.org`;
    const ids = await sessionIdsOf(english);
    const { json } = await postGraphQL({
      query: print(RegisterForEventDocument),
      variables: { input: { eventSlug: english, name: 'Ana', email, attendanceMode: 'REMOTE', sessionIds: [ids[2]], consent: true, ...input } },
    });
    expect(json.data.registerForEvent).toMatchObject({ __typename: 'ValidationError', fields: [{ path, message: expect.stringMatching(message) }] });
    expect(await prisma.registration.count({ where: { email } })).toBe(0);
  };

  it('a name or organisation with a line break, a tab, another control or a bidirectional override, or past 200 characters, is refused and nothing stored', async () => {
    await refused({ name: 'Ana\r\n\r\nACTION REQUIRED: confirm at https://evil.example' }, 'input.name', /one line.*U\+000D/);
    await refused({ name: 'Ana\nRegistrant' }, 'input.name', /U\+000A/);
    await refused({ name: 'Ana\u2028Registrant' }, 'input.name', /U\+2028/);
    await refused({ organization: 'Org\tName' }, 'input.organization', /U\+0009/);
    await refused({ organization: 'Org \u202Eelpmaxe.live' }, 'input.organization', /U\+202E/);
    await refused({ name: 'Ana \u2066x\u2069' }, 'input.name', /U\+2066/);
    await refused({ name: 'A'.repeat(201) }, 'input.name', /^must be at most 200 characters$/);
    // Joiners that names in some scripts need are text, not layout.
    const joined = await register(english, [2], { name: 'می\u200cخواهم', attendanceMode: 'IN_PERSON' });
    expect(joined.stored.name).toBe('می\u200cخواهم');

    const registrant = await register(english, [2], { attendanceMode: 'IN_PERSON' });
    const { updateRegistration } = await client.request(UpdateRegistrationDocument, { input: { manageToken: registrant.manageToken, name: 'Ana\nhttps://evil.example' } });
    expect(updateRegistration).toMatchObject({ __typename: 'ValidationError', fields: [{ path: 'input.name' }] });
    expect((await prisma.registration.findUniqueOrThrow({ where: { id: registrant.stored.id } })).name).toBe('Test Registrant');
  });

  it('is never printed in mail: not in the confirmation, nor in the mail someone else\'s request sends to the address, nor in its headers', async () => {
    const bait = 'ACTION REQUIRED: pay the fee at evil.example';
    const registrant = await register(english, [2], { name: bait, organization: bait, attendanceMode: 'IN_PERSON' });
    await confirmationTo(registrant.email);
    // Someone registers the address again, and someone asks for its manage link.
    await client.request(RegisterForEventDocument, { input: { eventSlug: english, name: bait, email: registrant.email, attendanceMode: 'REMOTE', sessionIds: [(await sessionIdsOf(english))[2]!], consent: true } });
    await client.request(RequestManageLinkDocument, { input: { eventSlug: english, email: registrant.email } });
    await vi.waitUntil(() => inbox.to(registrant.email).length === 3, { timeout: 20_000, interval: 100 });
    const mails = inbox.to(registrant.email);
    expect(mails.map((mail) => mail.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/^Your registration:/), expect.stringMatching(/^Someone tried/), expect.stringMatching(/^Your registration link/)]));
    for (const mail of mails) {
      expect(mail.text).toMatch(/^Hello,\n\n/);
      expect(`${mail.text}${mail.html}${mail.headerLines.map((line) => line.line).join('\n')}`).not.toMatch(/ACTION REQUIRED|evil\.example/);
      expect((mail.to as { value: { name: string }[] }).value[0]!.name).toBe('');
    }
  });
});
