import { z } from 'zod';
import { Prisma } from '../generated/prisma/client.js';
import type { ContentLanguages, TranslatableType } from './translation.js';
import { ValidationError } from '../errors.js';
import { contentLanguage, duplicates, httpUrl, text } from './input-fields.js';

// Translations as an admin or an import file writes them: one object per language, each field
// checked as the row's own is, stored as NULL when there are none.

/** The fields each kind of row has in other languages (src/translation.ts names them), each checked as the row's own is. */
const translationShapes = {
  Event: { title: text, summary: text, background: text, mandate: text, approvalInstructions: text },
  Session: { title: text, description: text },
  Part: { title: text, description: text },
  Break: { title: text },
  MechanismType: { name: text, description: text, examples: z.array(text) },
  Panelist: { affiliation: text, bio: text },
  Document: { title: text, url: httpUrl },
} satisfies Record<TranslatableType, z.ZodRawShape>;

/** Text per language then field: strings, and lists of them (examples). */
export type StoredTranslations = Record<string, Record<string, string | string[]>>;

/**
 * A row's text in other languages as stored and imported: `{ "fr": { "title": "…" } }`. Which
 * languages are allowed depends on the event (`translationLanguageIssues`).
 */
function translationsOf(type: TranslatableType) {
  return z.record(contentLanguage, z.object(translationShapes[type]).partial().strict()) as unknown as z.ZodType<StoredTranslations>;
}

export const translationsInput = Object.fromEntries(Object.keys(translationShapes).map((type) => [type, translationsOf(type as TranslatableType)])) as Record<TranslatableType, z.ZodType<StoredTranslations>>;

/**
 * Translations as the admin mutations take them: a list of `{ language, …fields }`, each language
 * once; a field null or left out has no text in that language, and a language with none is removed
 * (see `mergeTranslations`).
 */
export function translationList(type: TranslatableType): z.ZodType<StoredTranslations> {
  const fields = Object.fromEntries(Object.entries(translationShapes[type]).map(([field, schema]) => [field, (schema as z.ZodType).nullish()]));
  return z
    .array(z.object({ language: contentLanguage, ...fields }).strict())
    .superRefine((list, ctx) =>
      duplicates(list.map((entry) => entry.language)).forEach((index) => ctx.addIssue({ code: 'custom', path: [index, 'language'], message: 'is listed twice' })),
    )
    .transform((list) =>
      Object.fromEntries(list.map(({ language, ...given }) => [language, Object.fromEntries(Object.entries(given).filter(([, value]) => value != null))])),
    ) as unknown as z.ZodType<StoredTranslations>;
}

/** A row's `translations` as written: none is NULL, which Prisma reads without parsing a JSON value per row (an agenda reads hundreds). */
export type TranslationsColumn = StoredTranslations | typeof Prisma.DbNull;

export function translationsColumn(translations: StoredTranslations): TranslationsColumn {
  return Object.keys(translations).length ? translations : Prisma.DbNull;
}

/** `data` as written: its translations, if it has any field of that name, as the column keeps them. */
export function withTranslationsColumn<Data extends object>(data: Data): Data {
  if (!('translations' in data)) return data;
  return { ...data, translations: translationsColumn((data.translations ?? {}) as StoredTranslations) };
}

/**
 * The translations an admin write gives a row, checked against its event's languages, merged into
 * what the row has (`current`); undefined when the write gives none.
 */
export function writtenTranslations(current: unknown, given: StoredTranslations | undefined, languages: ContentLanguages): TranslationsColumn | undefined {
  if (!given) return undefined;
  const issues = translationLanguageIssues(given, languages).map(({ language, message }) => ({ path: 'input.translations', message: `${language} ${message}` }));
  if (issues.length) throw new ValidationError(issues);
  return translationsColumn(mergeTranslations(current, given));
}

/** `current` with each language of `changes` replaced by what it gives, and removed where it gives nothing. */
export function mergeTranslations(current: unknown, changes: StoredTranslations): StoredTranslations {
  const merged: StoredTranslations = { ...((current && typeof current === 'object' ? current : {}) as StoredTranslations) };
  for (const [language, fields] of Object.entries(changes)) {
    if (Object.keys(fields).length) merged[language] = fields;
    else delete merged[language];
  }
  return merged;
}

export const inDefaultLanguage = 'is the default language: its text goes in the fields themselves';

/** What is wrong with the languages of a row's translations: each must be one the event offers, other than the default. */
export function translationLanguageIssues(translations: object | undefined, languages: ContentLanguages): { language: string; message: string }[] {
  return Object.keys(translations ?? {}).flatMap((language) =>
    language === languages.defaultLanguage
      ? [{ language, message: inDefaultLanguage }]
      : languages.contentLanguages.includes(language)
        ? []
        : [{ language, message: `is not one of the event's contentLanguages (${languages.contentLanguages.join(', ')}); add it there first` }],
  );
}
