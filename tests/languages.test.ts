import { readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';

process.env.ADMIN_SECRET = 'languages-secret';

const { yoga } = await import('../src/app.js');
const { prisma } = await import('../src/db/client.js');
const { importEvent } = await import('../src/resolvers/event-import.js');
const { postGraphQL, withStatementLog } = await import('./support/api.js');
const { expectValidXml, expectValidJson, parseScheduleXml } = await import('./support/frab-schedule.js');

/** The fixture: an invented event whose French and Spanish text was written for these tests. */
const file = JSON.parse(await readFile('tests/fixtures/multilingual-event.json', 'utf8'));
const slug: string = file.event.slug;
const admin = { authorization: 'Bearer languages-secret' };
/**
 * Test data: the fixture's event under another slug, offering the same languages but holding its
 * English text only (and no mechanism type, whose French name every event shares).
 */
const englishOnly = JSON.parse(
  JSON.stringify({ ...file, event: { ...file.event, slug: 'english-only-test-event' } }, (key, value) => (['translations', 'mechanismTypes', 'mechanismType'].includes(key) ? undefined : value)),
);

beforeAll(async () => {
  await importEvent(file);
  await importEvent(englishOnly);
});

const eventQuery = /* GraphQL */ `
  query ($slug: String!, $lang: Locale) {
    event(slug: $slug) {
      title(lang: $lang) titleLanguage(lang: $lang) summary(lang: $lang) summaryLanguage(lang: $lang)
      background(lang: $lang) backgroundLanguage(lang: $lang)
      contentLanguages { code }
      agenda {
        items {
          kind title(lang: $lang) titleLanguage(lang: $lang)
          session {
            number title(lang: $lang) titleLanguage(lang: $lang) description(lang: $lang) descriptionLanguage(lang: $lang)
            mechanismType { name(lang: $lang) nameLanguage(lang: $lang) }
            parts { position title(lang: $lang) titleLanguage(lang: $lang) }
            panelists { panelist { affiliation(lang: $lang) affiliationLanguage(lang: $lang) bio(lang: $lang) bioLanguage(lang: $lang) } }
          }
        }
      }
      documents { title(lang: $lang) titleLanguage(lang: $lang) url(lang: $lang) urlLanguage(lang: $lang) versions { language title url } }
    }
  }
`;

type Answer = { status: number; headers: Headers; json: any };

async function ask(variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await yoga.fetch('http://api.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: eventQuery, variables: { slug, ...variables } }),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

/** The agenda's items as [title, its language], with each session's description and parts. */
function agendaOf(event: any) {
  return event.agenda.flatMap((day: any) =>
    day.items.map((item: any) => ({
      title: [item.title, item.titleLanguage],
      description: item.session && [item.session.description, item.session.descriptionLanguage],
      parts: item.session?.parts.map((part: any) => [part.title, part.titleLanguage]),
    })),
  );
}

describe('a client asking for a language', () => {
  it('gets French with lang: "fr" where the fixture has it, English elsewhere, and each field says which', async () => {
    const { json, headers } = await ask({ lang: 'fr' });
    const { event } = json.data;
    expect([event.title, event.titleLanguage]).toEqual(['Consultation de test en trois langues', 'fr']);
    expect([event.summary, event.summaryLanguage]).toEqual(['Un événement inventé pour tester les langues de l’API.', 'fr']);
    expect([event.background, event.backgroundLanguage]).toEqual(['Written in English only.', 'en']);
    expect(event.contentLanguages.map((language: { code: string }) => language.code)).toEqual(['en', 'es', 'fr']);
    expect(agendaOf(event)).toEqual([
      { title: ['Les tribunaux et la réparation', 'fr'], description: ['Comment les tribunaux réparent les préjudices.', 'fr'], parts: [] },
      { title: ['Déjeuner', 'fr'], description: null, parts: undefined },
      {
        title: ['Les plaintes hors des tribunaux', 'fr'],
        description: ['Regulators and ombudspersons.', 'en'],
        parts: [['Les autorités de régulation', 'fr'], ['Ombudspersons', 'en']],
      },
      // No French title: the English one, marked English.
      { title: ['What affected people need', 'en'], description: [null, null], parts: [] },
    ]);
    const first = event.agenda[0].items[0].session;
    expect(first.title).toBe('Les tribunaux et la réparation');
    expect(first.mechanismType).toEqual({ name: 'Mécanismes judiciaires (données de test)', nameLanguage: 'fr' });
    expect(first.panelists[0].panelist).toEqual({ affiliation: 'Université de test', affiliationLanguage: 'fr', bio: 'A person invented for the tests.', bioLanguage: 'en' });
    expect(event.documents).toEqual([
      {
        title: 'Programme (français)',
        titleLanguage: 'fr',
        url: 'https://documents.example/test/programme-fr.pdf',
        urlLanguage: 'fr',
        versions: [
          { language: 'en', title: 'Programme', url: 'https://documents.example/test/programme-en.pdf' },
          { language: 'fr', title: 'Programme (français)', url: 'https://documents.example/test/programme-fr.pdf' },
        ],
      },
    ]);
    expect(headers.get('content-language')).toBe('fr');
    // `lang` decided it all: the answer doesn't depend on Accept-Language.
    expect(headers.get('vary') ?? '').not.toMatch(/accept-language/i);
  });

  it('gets Spanish with Accept-Language: es-MX,es;q=0.9, English where the fixture has no Spanish, and is told it varies', async () => {
    const { json, headers } = await ask({}, { 'accept-language': 'es-MX,es;q=0.9' });
    const { event } = json.data;
    expect([event.title, event.titleLanguage]).toEqual(['Consulta de prueba en tres idiomas', 'es']);
    expect([event.summary, event.summaryLanguage]).toEqual(['An invented event that tests the API\'s languages.', 'en']);
    expect(agendaOf(event).map((item: { title: string[] }) => item.title)).toEqual([
      ['Los tribunales y la reparación', 'es'],
      ['Almuerzo', 'es'],
      ['Complaints outside the courts', 'en'],
      ['Lo que necesitan las personas afectadas', 'es'],
    ]);
    expect(event.agenda[0].items[0].session.description).toEqual('How courts remedy harms.');
    expect(event.agenda[0].items[0].session.mechanismType).toEqual({ name: 'Mecanismos judiciales (datos de prueba)', nameLanguage: 'es' });
    // The Spanish document has a title but no file of its own: the English file, said to be English.
    expect(event.documents[0]).toMatchObject({ title: 'Programa', titleLanguage: 'es', url: 'https://documents.example/test/programme-en.pdf', urlLanguage: 'en' });
    expect(headers.get('content-language')).toBe('es');
    expect(headers.get('vary')).toMatch(/Accept-Language/);
  });

  it('follows lang over Accept-Language, and shows the default where neither names a language the event offers', async () => {
    expect((await ask({ lang: 'fr' }, { 'accept-language': 'es' })).json.data.event.title).toBe('Consultation de test en trois langues');
    for (const [variables, headers] of [
      [{ lang: 'de' }, {}],
      [{}, { 'accept-language': 'de-CH, *;q=0.5' }],
      [{}, { 'accept-language': ';;;,,=q' }],
      [{}, {}],
    ] as const) {
      const { json, headers: answered } = await ask(variables, headers);
      expect([json.data.event.title, json.data.event.titleLanguage]).toEqual(['Test consultation in three languages', 'en']);
      expect(answered.get('content-language')).toBe('en');
    }
    const malformed = await ask({ lang: 'not a language' });
    expect(malformed.json.errors[0].message).toMatch(/BCP-47/);
  });

  it('reads one text in two languages in one answer, aliased: Content-Language names both, and only a field without lang varies by the header', async () => {
    const get = async (fields: string) => {
      const url = `http://api.test/graphql?query=${encodeURIComponent(`{ event(slug: "${slug}") { ${fields} } }`)}`;
      const response = await yoga.fetch(url, { headers: { accept: 'application/json', 'accept-language': 'es' } });
      return { event: (await response.json()).data.event, languages: response.headers.get('content-language')?.split(', ').sort(), vary: response.headers.get('vary') };
    };
    const byHeader = await get('title titleLanguage french: title(lang: "fr") frenchLanguage: titleLanguage(lang: "fr")');
    expect(byHeader.event).toEqual({ title: 'Consulta de prueba en tres idiomas', titleLanguage: 'es', french: 'Consultation de test en trois langues', frenchLanguage: 'fr' });
    expect(byHeader.languages).toEqual(['es', 'fr']);
    expect(byHeader.vary).toMatch(/Accept-Language/);
    const byArguments = await get('spanish: title(lang: "es") french: title(lang: "fr")');
    expect(byArguments.event).toEqual({ spanish: 'Consulta de prueba en tres idiomas', french: 'Consultation de test en trois langues' });
    expect(byArguments.languages).toEqual(['es', 'fr']);
    expect(byArguments.vary).not.toMatch(/Accept-Language/);
  });

  it('is told the answer is in English where the language it asks for, though offered, has no text in it', async () => {
    for (const [variables, headers] of [
      [{ lang: 'fr' }, {}],
      [{}, { 'accept-language': 'fr;q=0.9, *' }],
    ] as const) {
      const { json, headers: answered } = await ask({ ...variables, slug: englishOnly.event.slug }, headers);
      const { event } = json.data;
      expect(event.contentLanguages.map((language: { code: string }) => language.code)).toEqual(['en', 'es', 'fr']);
      expect([event.title, event.titleLanguage]).toEqual(['Test consultation in three languages', 'en']);
      expect(new Set(agendaOf(event).flatMap((item: { title: string[] }) => item.title[1]))).toEqual(new Set(['en']));
      expect(answered.get('content-language')).toBe('en');
    }
    // Read again, from the response cache (no SQL): the header is kept with the answer.
    const url = `http://api.test/graphql?query=${encodeURIComponent(`{ event(slug: "${englishOnly.event.slug}") { title } }`)}`;
    const get = async () => yoga.fetch(url, { headers: { accept: 'application/json', 'accept-language': 'fr' } });
    expect((await get()).headers.get('content-language')).toBe('en');
    const cached = await withStatementLog(get);
    expect(cached.statements).toEqual([]);
    expect(cached.result.headers.get('content-language')).toBe('en');
    expect(cached.result.headers.get('vary')).toMatch(/Accept-Language/);
  });

  it('gets a part or a session read alone, by node(id:), in the language asked', async () => {
    const { json } = await postGraphQL({ query: `{ event(slug: "${slug}") { sessions { edges { node { id number parts { id } } } } } }` });
    const second = json.data.event.sessions.edges.find((edge: { node: { number: number } }) => edge.node.number === 2).node;
    // Aliased: a part's title may be null, a session's not.
    const node = /* GraphQL */ `query ($id: ID!) { node(id: $id) { ... on Part { title titleLanguage } ... on Session { session: title language: titleLanguage } } }`;
    const read = async (id: string) => (await postGraphQL({ query: node, variables: { id } }, { 'accept-language': 'fr' })).json.data.node;
    expect(await read(second.parts[0].id)).toEqual({ title: 'Les autorités de régulation', titleLanguage: 'fr' });
    expect(await read(second.parts[1].id)).toEqual({ title: 'Ombudspersons', titleLanguage: 'en' });
    expect(await read(second.id)).toEqual({ session: 'Les plaintes hors des tribunaux', language: 'fr' });
  });

  it('keeps cached answers apart by the language negotiated, never by the header as written', async () => {
    const url = `http://api.test/graphql?query=${encodeURIComponent(`{ event(slug: "${slug}") { title } }`)}`;
    const get = async (acceptLanguage: string) => {
      const response = await yoga.fetch(url, { headers: { accept: 'application/json', 'accept-language': acceptLanguage } });
      return { title: (await response.json()).data.event.title, etag: response.headers.get('etag'), vary: response.headers.get('vary'), language: response.headers.get('content-language') };
    };
    for (let round = 0; round < 2; round += 1) {
      expect(await get('fr')).toMatchObject({ title: 'Consultation de test en trois langues', language: 'fr' });
      expect(await get('es-MX,es;q=0.9')).toMatchObject({ title: 'Consulta de prueba en tres idiomas', language: 'es' });
      expect(await get('en-GB')).toMatchObject({ title: 'Test consultation in three languages', language: 'en' });
    }
    const [french, frenchAgain, swiss] = [await get('fr'), await get('fr-FR,fr;q=0.8'), await get('fr-CH')];
    // Three spellings of French are one cached answer; Spanish is another.
    expect(new Set([french.etag, frenchAgain.etag, swiss.etag]).size).toBe(1);
    expect(french.etag).not.toBe((await get('es')).etag);
    expect(french.vary).toBe('Accept, Accept-Encoding, Accept-Language');
  });
});

describe('admins', () => {
  const translationsQuery = /* GraphQL */ `
    query ($slug: String!) {
      event(slug: $slug) {
        translations { language title summary }
        missingTranslations { language typename field }
        sessions { edges { node { number translations { language title description } } } }
      }
    }
  `;

  it('read every translation and what lacks one; the public gets neither', async () => {
    const { json } = await postGraphQL({ query: translationsQuery, variables: { slug } }, admin);
    const { event } = json.data;
    expect(event.translations).toEqual([
      { language: 'es', title: 'Consulta de prueba en tres idiomas', summary: null },
      { language: 'fr', title: 'Consultation de test en trois langues', summary: 'Un événement inventé pour tester les langues de l’API.' },
    ]);
    expect(event.sessions.edges[1].node).toEqual({ number: 2, translations: [{ language: 'fr', title: 'Les plaintes hors des tribunaux', description: null }] });
    const missing = event.missingTranslations.map((gap: { language: string; typename: string; field: string }) => `${gap.language} ${gap.typename}.${gap.field}`);
    expect(missing.sort()).toEqual(
      [
        'es Event.summary', 'es Event.background', 'fr Event.background',
        'es Session.description', 'es Session.title', 'es Session.description', 'fr Session.description', 'fr Session.title',
        'es Part.title', 'fr Part.title',
        'fr Panelist.bio',
        'es Document.url',
        'es MechanismType.description',
      ].sort(),
    );

    const anonymous = await postGraphQL({ query: translationsQuery, variables: { slug } });
    expect(anonymous.json.data.event).toMatchObject({ translations: null, missingTranslations: null });
    expect(anonymous.json.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toContain('FORBIDDEN');
  });

  const updateSession = /* GraphQL */ `
    mutation ($input: UpdateSessionInput!) {
      updateSession(input: $input) {
        __typename
        ... on SessionPayload { session { title translations { language title } } }
        ... on ValidationError { fields { path message } }
      }
    }
  `;
  const sessionId = async (number: number) =>
    (await postGraphQL({ query: `{ event(slug: "${slug}") { sessions { edges { node { id number } } } } }` })).json.data.event.sessions.edges.find(
      (edge: { node: { number: number } }) => edge.node.number === number,
    ).node.id as string;

  it('write translations with the update mutations, only in languages the event offers other than its default', async () => {
    const id = await sessionId(2);
    const written = await postGraphQL({ query: updateSession, variables: { input: { id, translations: [{ language: 'es', title: 'Las quejas fuera de los tribunales' }] } } }, admin);
    expect(written.json.data.updateSession.session.translations).toEqual([
      { language: 'es', title: 'Las quejas fuera de los tribunales' },
      { language: 'fr', title: 'Les plaintes hors des tribunaux' },
    ]);
    const spanish = await ask({ lang: 'es' });
    expect(agendaOf(spanish.json.data.event)[2].title).toEqual(['Las quejas fuera de los tribunales', 'es']);

    for (const [language, message] of [
      ['de', /de is not one of the event's contentLanguages \(en, es, fr\)/],
      ['en', /en is the default language/],
      ['FR', /canonically/],
    ] as const) {
      const refused = await postGraphQL({ query: updateSession, variables: { input: { id, translations: [{ language, title: 'x' }] } } }, admin);
      expect(refused.json.data.updateSession.__typename).toBe('ValidationError');
      expect(refused.json.data.updateSession.fields[0].message).toMatch(message);
    }
    // A language given with no text is removed.
    const removed = await postGraphQL({ query: updateSession, variables: { input: { id, translations: [{ language: 'es' }] } } }, admin);
    expect(removed.json.data.updateSession.session.translations).toEqual([{ language: 'fr', title: 'Les plaintes hors des tribunaux' }]);
    // With its last language removed, a row holds no translation: NULL, which reads back as none.
    const none = await postGraphQL({ query: updateSession, variables: { input: { id, translations: [{ language: 'fr' }] } } }, admin);
    expect(none.json.data.updateSession.session.translations).toEqual([]);
    const { id: rowId } = (await prisma.session.findFirst({ where: { event: { slug: file.event.slug }, number: 2 }, select: { id: true } }))!;
    expect((await prisma.session.findUnique({ where: { id: rowId }, select: { translations: true } }))!.translations).toBeNull();
  });

  it('store a row of the import file with no translation as NULL, which a second import leaves as it is', async () => {
    const untranslated = { ...file, event: { ...file.event, slug: 'no-translations', translations: {}, sessions: file.event.sessions.map((session: object) => ({ ...session, translations: undefined })) } };
    await importEvent(untranslated);
    const event = await prisma.event.findUniqueOrThrow({ where: { slug: 'no-translations' }, select: { id: true, translations: true, sessions: { select: { translations: true } } } });
    expect(event.translations).toBeNull();
    expect(event.sessions.map((session) => session.translations)).toEqual(event.sessions.map(() => null));
    const again = await importEvent(untranslated);
    expect([again.created, again.updated, again.deleted]).toEqual([0, 0, 0]);
  });

  it('add a fourth language, Arabic, through the API, with no migration', async () => {
    const tables = () => prisma.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
      SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`;
    const migrations = () => prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`;
    const [columnsBefore, migrationsBefore] = [await tables(), await migrations()];

    const { json: found } = await postGraphQL({ query: `{ event(slug: "${slug}") { id } }` });
    const updateEvent = /* GraphQL */ `
      mutation ($input: UpdateEventInput!) { updateEvent(input: $input) { __typename ... on EventPayload { event { contentLanguages { code } } } } }
    `;
    const added = await postGraphQL({ query: updateEvent, variables: { input: { id: found.data.event.id, contentLanguages: ['en', 'es', 'fr', 'ar'] } } }, admin);
    expect(added.json.data.updateEvent.event.contentLanguages.map((language: { code: string }) => language.code)).toEqual(['en', 'es', 'fr', 'ar']);
    // Test data: Arabic for "Courts and remedy", written for this test.
    const arabic = 'المحاكم وسبل الانتصاف';
    const written = await postGraphQL({ query: updateSession, variables: { input: { id: await sessionId(1), translations: [{ language: 'ar', title: arabic }] } } }, admin);
    expect(written.json.data.updateSession.__typename).toBe('SessionPayload');

    for (const asked of [ask({ lang: 'ar' }), ask({}, { 'accept-language': 'ar-EG, fr;q=0.5' })]) {
      const { json, headers } = await asked;
      expect(agendaOf(json.data.event)[0].title).toEqual([arabic, 'ar']);
      expect(agendaOf(json.data.event)[1].title).toEqual(['Lunch', 'en']);
      expect(headers.get('content-language')).toBe('ar');
    }
    expect(await tables()).toEqual(columnsBefore);
    expect(await migrations()).toEqual(migrationsBefore);
  });

  it('write mechanism types\' and documents\' translations, each field checked as its own is, and keep an event\'s default among its languages', async () => {
    const write = async (mutation: string, input: object) => {
      const query = `mutation ($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename ... on ValidationError { fields { path message } } } }`;
      return (await postGraphQL({ query, variables: { input } }, admin)).json.data[mutation];
    };
    const { json } = await postGraphQL({ query: `{ mechanismTypes { id code } event(slug: "${slug}") { id documents { id } } }` });
    const judicial = json.data.mechanismTypes.find((type: { code: string }) => type.code === 'JUDICIAL').id;
    // A mechanism type serves every event: any language but its own default. (Test data.)
    expect(await write('updateMechanismType', { id: judicial, translations: [{ language: 'ar', name: 'الآليات القضائية' }] })).toEqual({ __typename: 'MechanismTypePayload' });
    expect(await write('updateMechanismType', { id: judicial, translations: [{ language: 'en', name: 'Courts' }] })).toMatchObject({ fields: [{ path: 'input.translations', message: /^en is the default language/ }] });
    const names = await postGraphQL({ query: '{ mechanismTypes { code name(lang: "ar") nameLanguage(lang: "ar") } }' });
    expect(names.json.data.mechanismTypes.find((type: { code: string }) => type.code === 'JUDICIAL')).toEqual({ code: 'JUDICIAL', name: 'الآليات القضائية', nameLanguage: 'ar' });

    const document = json.data.event.documents[0].id;
    expect(await write('updateDocument', { id: document, translations: [{ language: 'es', title: 'Programa', url: 'javascript:alert(1)' }] })).toMatchObject({
      fields: [{ path: 'input.translations[0].url' }],
    });
    expect(await write('updateEvent', { id: json.data.event.id, contentLanguages: ['fr', 'es'] })).toMatchObject({
      fields: [{ path: 'input.contentLanguages', message: 'must include defaultLanguage (en)' }],
    });
  });

  it('write translations in the import file, which a second import of leaves as they are', async () => {
    const again = await importEvent(file);
    // The first import's translations, which the tests above changed, are the file's again; then nothing changes.
    expect(again.updated).toBeGreaterThan(0);
    expect(await importEvent(file)).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    const broken = structuredClone(file);
    broken.event.sessions[0].translations.de = { title: 'Gerichte' };
    await expect(importEvent(broken)).rejects.toThrow(/event\.sessions\[0\]\.translations\.de: is not one of the event's contentLanguages/);
  });
});

describe('calendar feeds', () => {
  async function feed(path: string) {
    const response = await yoga.fetch(new URL(path, 'http://api.test/'));
    const text = await response.text();
    return { response, text, calendar: new ICAL.Component(ICAL.parse(text)) };
  }
  const marked = (vevent: ICAL.Component, property: string) => {
    const found = vevent.getFirstProperty(property)!;
    return [found.getFirstValue(), found.getParameter('language')];
  };

  it('take ?lang=, and mark each SUMMARY and DESCRIPTION with the language it is in', async () => {
    const { response, calendar } = await feed(`/events/${slug}.ics?lang=fr`);
    expect(response.headers.get('content-language')).toBe('fr');
    expect(calendar.getFirstProperty('name')!.getParameter('language')).toBe('fr');
    expect(calendar.getFirstPropertyValue('name')).toBe('Consultation de test en trois langues');
    const [first, second, third] = calendar.getAllSubcomponents('vevent');
    expect(marked(first!, 'summary')).toEqual(['Séance 1\u202f: Les tribunaux et la réparation', 'fr']);
    expect(marked(first!, 'description')).toEqual(['Comment les tribunaux réparent les préjudices.', 'fr']);
    expect(marked(second!, 'summary')).toEqual(['Séance 2\u202f: Les plaintes hors des tribunaux', 'fr']);
    // No French description: the English one, marked English, with its parts' labels in English.
    expect(marked(second!, 'description')).toEqual(['Regulators and ombudspersons.\n\nPart 1: Les autorités de régulation\n\nPart 2: Ombudspersons', 'en']);
    expect(marked(third!, 'summary')).toEqual(['Session 3: What affected people need', 'en']);

    const english = await feed(`/events/${slug}/sessions/1.ics`);
    expect(marked(english.calendar.getFirstSubcomponent('vevent')!, 'summary')).toEqual(['Session 1: Courts and remedy', 'en']);
    expect(english.calendar.getFirstPropertyValue('name')).toBe('Test consultation in three languages: Session 1');
  });

  it('say they are in English where the language asked for, though offered, has no text in them', async () => {
    for (const path of [`/events/${englishOnly.event.slug}.ics?lang=fr`, `/events/${englishOnly.event.slug}/sessions/1.ics?lang=fr`]) {
      const { response, calendar } = await feed(path);
      expect(response.headers.get('content-language')).toBe('en');
      expect(calendar.getFirstProperty('name')!.getParameter('language')).toBe('en');
      expect(marked(calendar.getFirstSubcomponent('vevent')!, 'summary')).toEqual(['Session 1: Courts and remedy', 'en']);
    }
  });

  it('refuse a ?lang= that is not a language tag', async () => {
    const response = await yoga.fetch(new URL(`/events/${slug}.ics?lang=${encodeURIComponent('fr;x"\r\nSUMMARY:hacked')}`, 'http://api.test/'));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/lang must be a language tag/);
  });
});

describe('the frab schedule export', () => {
  const schedule = (path: string, headers: Record<string, string> = {}) => yoga.fetch(new URL(path, 'http://api.test/'), { headers });

  it('is in the language of ?lang=, field by field, each event saying the language of its title', async () => {
    const response = await schedule(`/events/${slug}/schedule.xml?lang=fr`);
    expect(response.headers.get('content-language')).toBe('fr');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    const xml = await response.text();
    await expectValidXml(xml);
    const parsed = parseScheduleXml(xml);
    expect(parsed.conference.title).toBe('Consultation de test en trois langues');
    const events = parsed.day.flatMap((day) => day.room.flatMap((room) => room.event ?? []));
    expect(events.map((event) => [event.title, event.language])).toEqual([
      ['Les tribunaux et la réparation', 'fr'],
      ['Les plaintes hors des tribunaux', 'fr'],
      ['What affected people need', 'en'],
    ]);
    expect(events[0]!.abstract).toBe('Comment les tribunaux réparent les préjudices.');
    expect(events[0]!.track).toBe('Mécanismes judiciaires (données de test)');
    expect(xml).toContain('href="https://documents.example/test/programme-fr.pdf"');
    expect(xml).toContain('>Programme (français)<');
  });

  it('says it is in English where the language asked for, though offered, has no text in it', async () => {
    for (const [path, headers] of [
      [`/events/${englishOnly.event.slug}/schedule.xml?lang=fr`, {}],
      [`/events/${englishOnly.event.slug}/schedule.xml`, { 'accept-language': 'fr;q=0.9, *' }],
    ] as const) {
      const response = await schedule(path, headers);
      expect(response.headers.get('content-language')).toBe('en');
      const parsed = parseScheduleXml(await response.text());
      expect(parsed.conference.title).toBe('Test consultation in three languages');
      expect(new Set(parsed.day.flatMap((day) => day.room.flatMap((room) => room.event ?? [])).map((event) => event.language))).toEqual(new Set(['en']));
    }
  });

  it('follows Accept-Language when there is no ?lang=, says it varies, and keeps each language apart', async () => {
    const spanish = await schedule(`/events/${slug}/schedule.json`, { 'accept-language': 'es-MX,es;q=0.9' });
    expect(spanish.headers.get('content-language')).toBe('es');
    expect(spanish.headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
    const json = (await spanish.json()) as any;
    expectValidJson(json);
    const titles = (json.schedule.conference.days as any[]).flatMap((day) => Object.values(day.rooms as Record<string, any[]>).flat()).map((event) => event.title);
    expect(titles).toEqual(['Los tribunales y la reparación', 'Complaints outside the courts', 'Lo que necesitan las personas afectadas']);
    const english = await schedule(`/events/${slug}/schedule.json`, { 'accept-language': 'en' });
    expect(english.headers.get('content-language')).toBe('en');
    expect(english.headers.get('etag')).not.toBe(spanish.headers.get('etag'));
    // A language the event doesn't offer, or garbage, is the default, under the same key.
    for (const header of ['ar', 'x'.repeat(2_000), '*']) {
      const other = await schedule(`/events/${slug}/schedule.json`, { 'accept-language': header });
      expect(other.headers.get('etag'), header.slice(0, 10)).toBe(english.headers.get('etag'));
    }
    const refused = await schedule(`/events/${slug}/schedule.xml?lang=${encodeURIComponent('fr"><x')}`);
    expect(refused.status).toBe(400);
  });
});

describe('the iframe page', () => {
  it('shows the event in its lang, each text marked with the language it is in', async () => {
    const response = await yoga.fetch(new URL(`/embed/${slug}?lang=fr`, 'http://api.test/'));
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html><html lang="fr">/);
    expect(html).toContain('<h1 class="title" dir="auto" lang="fr">Consultation de test en trois langues</h1>');
    expect(html).toContain('<span class="number">Séance 1</span> <span dir="auto" lang="fr">Les tribunaux et la réparation</span>');
    expect(html).toContain('<span class="number">Séance 3</span> <span dir="auto" lang="en">What affected people need</span>');
    expect(html).toContain('<p class="what"><span dir="auto" lang="fr">Déjeuner</span></p>');
  });
});

describe('mail to a registrant', () => {
  it('names the event and the sessions in the registrant\'s language where the event has them', async () => {
    const { RegisterForEventDocument } = await import('../src/client/operations.js');
    const { apiClient } = await import('./support/api.js');
    const { startInbox, sentTo } = await import('./support/smtp.js');
    const { startMailWorker, stopMailWorker } = await import('../src/mail/worker.js');
    const { createDelivery } = await import('../src/mail/transport.js');
    const inbox = await startInbox();
    await startMailWorker(createDelivery({ smtpUrl: inbox.url, from: 'Registration <registration@events.example>', dir: '' }));
    try {
      const sessions = await prisma.session.findMany({ where: { event: { slug } }, orderBy: { number: 'asc' } });
      const { encodeGlobalID } = await import('@pothos/plugin-relay');
      const email = 'francophone@example.org';
      const { registerForEvent } = await apiClient().request(RegisterForEventDocument, {
        input: {
          eventSlug: slug, name: 'Test Registrant', email, attendanceMode: 'REMOTE', interpretationLanguage: 'fr', consent: true,
          sessionIds: [encodeGlobalID('Session', sessions[0]!.id), encodeGlobalID('Session', sessions[2]!.id)],
        },
      });
      expect(registerForEvent.__typename).toBe('RegisterForEventPayload');
      const mail = await inbox.waitFor(sentTo(email));
      expect(mail.subject).toBe('Votre inscription\u202f: Consultation de test en trois langues');
      expect(mail.text).toContain('Les tribunaux et la réparation');
      // No French title: the English one.
      expect(mail.text).toContain('What affected people need');
      const calendar = mail.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'))!.content.toString();
      expect(calendar.replace(/\r\n /g, '')).toContain('SUMMARY;LANGUAGE=fr:Séance 1\u202f: Les tribunaux et la réparation');
    } finally {
      stopMailWorker();
      await inbox.close();
    }
  });
});

describe('<event-agenda lang="fr"> in Chromium', () => {
  it('shows the fixture\'s French titles, and marks the English one left untranslated', async () => {
    const { mkdir } = await import('node:fs/promises');
    const { embedScene } = await import('./support/browser.js');
    const scene = await embedScene(
      (apiUrl) =>
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A French partner</title></head><body>' +
        `<event-agenda event="${slug}" lang="fr"></event-agenda><script src="${apiUrl}/embed/agenda.js"></script></body></html>`,
    );
    try {
      const context = await scene.browser.newContext({ timezoneId: 'Europe/Zurich', viewport: { width: 900, height: 1000 } });
      const page = await context.newPage();
      await page.goto(scene.partnerUrl);
      const titles = page.locator('event-agenda .session-title span[dir=auto]');
      await titles.first().waitFor();
      expect(await page.locator('event-agenda .title').textContent()).toBe('Consultation de test en trois langues');
      expect(await titles.allTextContents()).toEqual(['Les tribunaux et la réparation', 'Les plaintes hors des tribunaux', 'What affected people need']);
      expect(await titles.evaluateAll((spans) => spans.map((span) => span.getAttribute('lang')))).toEqual(['fr', 'fr', 'en']);
      expect(await page.locator('event-agenda .break .what').textContent()).toBe('Déjeuner');
      expect(await page.locator('event-agenda .number').first().textContent()).toBe('Séance 1');
      await mkdir('tests/__screenshots__', { recursive: true });
      await page.screenshot({ path: 'tests/__screenshots__/widget-fr.png', fullPage: true });
      await context.close();
    } finally {
      await scene.close();
    }
  });
});
