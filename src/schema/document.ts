import type { Document as DocumentRow } from '../generated/prisma/client.js';
import { DocumentKind, DocumentStatus } from '../generated/prisma/enums.js';
import { translated, translatedLanguages, type ContentLanguages } from '../rules/translation.js';
import { builder } from './builder.js';
import { eventOf } from './session.js';
import { translatedFields, translationTypes } from './translation.js';

export const documentTranslations = translationTypes('Document');
const text = translatedFields<DocumentRow>(eventOf);

const DocumentVersion = builder.objectRef<{ language: string; title: string; url: string }>('DocumentVersion').implement({
  description: 'A document in one language: United Nations documents are published as one file per language.',
  fields: (t) => ({
    language: t.field({ type: 'Locale', resolve: (version) => version.language }),
    title: t.string({ description: 'The title in this language (in the default language where it has none in this one).', resolve: (version) => version.title }),
    url: t.field({ type: 'URL', resolve: (version) => version.url }),
  }),
});

/** Every language the document has a file in: the default's first, then the others in the event's order. */
function versions(document: DocumentRow, event: ContentLanguages) {
  const languages = [event.defaultLanguage, ...event.contentLanguages, ...translatedLanguages(document)];
  return [...new Set(languages)].flatMap((language) => {
    const url = translated(document, 'url', language, event.defaultLanguage);
    return url.value && url.language === language ? [{ language, url: url.value, title: translated(document, 'title', language, event.defaultLanguage).value }] : [];
  });
}

const DocumentKindEnum = builder.enumType(DocumentKind, { name: 'DocumentKind' });
const DocumentStatusEnum = builder.enumType(DocumentStatus, { name: 'DocumentStatus' });

export const Document = builder.prismaNode('Document', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    title: t.string(text.of('title')),
    titleLanguage: t.field(text.languageOf('title', 'required')),
    kind: t.expose('kind', { type: DocumentKindEnum }),
    status: t.expose('status', { type: DocumentStatusEnum, nullable: true }),
    url: t.field({
      type: 'URL',
      nullable: true,
      description: 'Where to read it, in the language asked for if it has a file in it, else in the default language (`urlLanguage` says which); null until the organizer publishes one.',
      ...text.of('url'),
    }),
    urlLanguage: t.field(text.languageOf('url')),
    versions: t.field({
      type: [DocumentVersion],
      description: 'Its file in each language it has one in, the default language first.',
      resolve: (document, _args, { languages }) => {
        const event = languages.event(document.eventId);
        return event instanceof Promise ? event.then((known) => versions(document, known)) : versions(document, event);
      },
    }),
    translations: t.field(documentTranslations.field()),
  }),
});
