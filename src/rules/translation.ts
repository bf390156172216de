/**
 * Content in several languages. A translatable row keeps its text in its event's default language
 * in its own columns, and the text in other languages in its JSONB `translations` column (NULL when it has none), by
 * language then field: `{ "fr": { "title": "…" } }`. A language is data: adding one needs no
 * migration. This module imports no schema and no database, so the API, the calendar feeds, the
 * mail and the exports read translations the same way.
 */
import Negotiator from 'negotiator';

/** The fields each kind of row has in other languages. */
export const translatableFields = {
  Event: ['title', 'summary', 'background', 'mandate', 'approvalInstructions'],
  Session: ['title', 'description'],
  Part: ['title', 'description'],
  Break: ['title'],
  MechanismType: ['name', 'description', 'examples'],
  Panelist: ['affiliation', 'bio'],
  Document: ['title', 'url'],
} as const;

export type TranslatableType = keyof typeof translatableFields;

/** A row with a `translations` column, as Prisma reads it (any JSON). */
export interface Translatable {
  translations: unknown;
}

/** The languages an event's content is in: its own columns hold `defaultLanguage`. */
export interface ContentLanguages {
  defaultLanguage: string;
  contentLanguages: readonly string[];
}

export interface Translated<T> {
  value: T;
  /** The language `value` is actually in: the one asked for, or the default it fell back to. */
  language: string;
}

/** The text a row has in `language` for each field, or undefined. Own properties only: a key never reaches Object.prototype. */
function entryOf(row: Translatable, language: string): Record<string, unknown> | undefined {
  const { translations } = row;
  if (!translations || typeof translations !== 'object' || !Object.hasOwn(translations, language)) return undefined;
  const entry = (translations as Record<string, unknown>)[language];
  return entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined;
}

/**
 * `row[field]` in `language` where the row has it, else the row's own text, which is in
 * `defaultLanguage`: a missing translation falls back field by field, never to nothing.
 */
export function translated<Row extends Translatable, Field extends keyof Row & string>(
  row: Row,
  field: Field,
  language: string,
  defaultLanguage: string,
): Translated<Row[Field]> {
  if (language !== defaultLanguage) {
    const entry = entryOf(row, language);
    if (entry && Object.hasOwn(entry, field) && hasText(entry[field])) return { value: entry[field] as Row[Field], language };
  }
  return { value: row[field], language: defaultLanguage };
}

/** Text, or a list with some: an empty one says nothing in any language. */
function hasText(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== '';
}

/**
 * The languages an answer's text is in, for its Content-Language (RFC 9110 §8.5, the intended
 * audience): those chosen that some text is in, or, where every text fell back, the ones it fell
 * back to. Naming the language chosen would tell a French reader that text all in English is
 * theirs. A field with no text is in no language.
 */
export class ShownLanguages {
  readonly #chosen = new Set<string>();
  readonly #fellBackTo = new Set<string>();

  /** `translated(row, field, chosen, defaultLanguage)`, recorded as shown. */
  read<Row extends Translatable, Field extends keyof Row & string>(row: Row, field: Field, chosen: string, defaultLanguage: string): Translated<Row[Field]> {
    const text = translated(row, field, chosen, defaultLanguage);
    if (hasText(text.value)) (text.language === chosen ? this.#chosen : this.#fellBackTo).add(text.language);
    return text;
  }

  /** What Content-Language names: none when no text was shown. */
  get languages(): string[] {
    return [...(this.#chosen.size > 0 ? this.#chosen : this.#fellBackTo)];
  }
}

/** The languages other than the default that `row` has some text in. */
export function translatedLanguages(row: Translatable): string[] {
  const { translations } = row;
  return translations && typeof translations === 'object' && !Array.isArray(translations) ? Object.keys(translations) : [];
}

/**
 * The languages of `offered` that an Accept-Language header accepts, best first, as `offered`
 * spells them (negotiator's matching: `es-MX` accepts `es`). A wildcard accepts any language,
 * which the default language already is: it ranks none. What a client sends is never kept or
 * used as a key, only this list, whose entries all come from `offered`.
 */
export function acceptedLanguages(acceptLanguage: string | null | undefined, offered: readonly string[]): string[] {
  if (!acceptLanguage || offered.length === 0) return [];
  const ranges = acceptLanguage
    .split(',')
    .filter((range) => range.split(';')[0]!.trim() !== '*')
    .join(',');
  return ranges ? new Negotiator({ headers: { 'accept-language': ranges } }).languages([...offered]) : [];
}

/** The language to show `event`'s content in: the first of `preferred` it offers, else its default. */
export function firstOffered(preferred: readonly string[], event: ContentLanguages): string {
  return preferred.find((language) => event.contentLanguages.includes(language)) ?? event.defaultLanguage;
}

/**
 * The language to show `event`'s content in to someone who wants `wanted` (a `?lang=`, a
 * registrant's interpretation language, an Accept-Language header): matched as Accept-Language
 * is, else the event's default.
 */
export function contentLanguageFor(wanted: string | null | undefined, event: ContentLanguages): string {
  return acceptedLanguages(wanted, event.contentLanguages)[0] ?? event.defaultLanguage;
}

/** What a translation lacks: `field` of the row has text in the default language but none in `language`. */
export interface MissingTranslation {
  language: string;
  field: string;
}

/** The fields of `row` that have text in the default language and none in one of `languages`. */
export function missingTranslations(row: Translatable, fields: readonly string[], languages: readonly string[], defaultLanguage: string): MissingTranslation[] {
  return languages
    .filter((language) => language !== defaultLanguage)
    .flatMap((language) => {
      const entry = entryOf(row, language);
      return fields.filter((field) => hasText((row as unknown as Record<string, unknown>)[field]) && !hasText(entry?.[field])).map((field) => ({ language, field }));
    });
}
