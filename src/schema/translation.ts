import type { RequestLanguages } from '../rules/content-languages.js';
import type { Context } from '../context.js';
import { translatableFields, type ContentLanguages, type TranslatableType, type Translatable, type Translated } from '../rules/translation.js';
import { builder } from './builder.js';

/**
 * The `lang` argument of every translated field and of the field saying its language. It is the
 * field's own argument, not its root field's, so a normalised cache (Relay, Apollo) keeps
 * `title(lang: "fr")` and `title` of one record apart: one value per field and arguments.
 */
export const langArgs = builder.args((t) => ({
  lang: t.field({
    type: 'Locale',
    required: false,
    description:
      'The language to give this text in (BCP 47, for example `fr`): wins over Accept-Language. Where the event doesn\'t offer it, or there is no text in it, the default language\'s text is given; the field beside it (`titleLanguage`…), asked with the same `lang`, says which.',
  }),
}));

type LangArgs = { lang?: string | null };

/** Whose languages a row's text follows: its own, or its event's, named by id (at once, or once loaded). */
export type Owner<Row> = (row: Row, languages: RequestLanguages) => ContentLanguages | string | Promise<string>;

/** `owner`'s languages, at once when they are known. */
function languagesOf<Row>(row: Row, owner: Owner<Row>, languages: RequestLanguages): ContentLanguages | Promise<ContentLanguages> {
  const of = owner(row, languages);
  if (typeof of === 'string') return languages.event(of);
  return of instanceof Promise ? of.then((eventId) => languages.event(eventId)) : of;
}

/** `row[field]` in the language `lang` asks for, else the one the request's Accept-Language asks for, with the language it is in. */
export function textIn<Row extends Translatable, Field extends keyof Row & string, T>(
  row: Row,
  field: Field,
  owner: Owner<Row>,
  { languages }: Context,
  lang: string | null | undefined,
  pick: (text: Translated<Row[Field]>) => T,
): T | Promise<T> {
  const show = (of: ContentLanguages) => pick(languages.shown.read(row, field, languages.choose(lang, of), of.defaultLanguage));
  const of = languagesOf(row, owner, languages);
  return of instanceof Promise ? of.then(show) : show(of);
}

type Resolver<Row, T> = (row: Row, args: LangArgs, context: Context) => T | Promise<T>;

/**
 * The translated fields of a type, whose text follows `owner`'s languages, each with a `lang`
 * argument: `title: t.string(text.of('title'))` and, beside it,
 * `titleLanguage: t.field(text.languageOf('title', 'required'))`, which says which language the
 * text is in, the one asked for or the default where it has none in that one: clients mark
 * fallback text with it (`lang` in HTML).
 */
export function translatedFields<Row extends Translatable>(owner: Owner<Row>) {
  function of<Field extends keyof Row & string>(field: Field): { args: typeof langArgs; resolve: Resolver<Row, Row[Field]> } {
    return { args: langArgs, resolve: (row, { lang }, context) => textIn(row, field, owner, context, lang, (text) => text.value) };
  }
  function languageOf(field: keyof Row & string): { type: 'Locale'; nullable: true; description: string; args: typeof langArgs; resolve: Resolver<Row, string | null> };
  function languageOf(field: keyof Row & string, required: 'required'): { type: 'Locale'; nullable: false; description: string; args: typeof langArgs; resolve: Resolver<Row, string> };
  function languageOf(field: keyof Row & string, required?: 'required') {
    return {
      type: 'Locale' as const,
      nullable: !required,
      description: `The language \`${field}\` is in (BCP 47) when asked with the same \`lang\`: the one asked for, or the default language where it has no text in that one${required ? '' : `; null when \`${field}\` is`}.`,
      args: langArgs,
      resolve: ((row, { lang }, context) => textIn(row, field, owner, context, lang, (text) => (text.value == null ? null : text.language))) as Resolver<Row, string | null>,
    };
  }
  return { of, languageOf };
}

/** A row's translations, one entry per language, as admins read them. */
type TranslationEntry = { language: string } & Record<string, unknown>;

/** By language tag: PostgreSQL keeps JSON objects in an order of its own. */
function entries(row: Translatable): TranslationEntry[] {
  const translations = (row.translations ?? {}) as Record<string, Record<string, unknown>>;
  return Object.keys(translations)
    .sort()
    .map((language) => ({ ...translations[language], language }));
}

const listFields = new Set<string>(['examples']);

/**
 * The admin's view of a type's translations (`SessionTranslation`) and what an admin writes
 * (`SessionTranslationInput`): a language and the type's translatable fields.
 */
export function translationTypes(type: TranslatableType) {
  const fields = translatableFields[type];
  const output = builder.objectRef<TranslationEntry>(`${type}Translation`).implement({
    description: `${type}'s text in one language other than its default.`,
    fields: (t) => ({
      language: t.field({ type: 'Locale', resolve: (entry) => entry.language }),
      ...Object.fromEntries(
        fields.map((field) => [
          field,
          listFields.has(field)
            ? t.stringList({ nullable: true, resolve: (entry) => (entry[field] as string[] | undefined) ?? null })
            : t.string({ nullable: true, resolve: (entry) => (entry[field] as string | undefined) ?? null }),
        ]),
      ),
    }),
  });
  const input = builder.inputType(`${type}TranslationInput`, {
    description: `${type}'s text in one language other than the event's default: it replaces what that language had; a field left out or null has no text in it.`,
    fields: (t) => ({
      language: t.string({ required: true, description: 'BCP 47, as the event lists it in `contentLanguages`, for example `fr`.' }),
      ...Object.fromEntries(fields.map((field) => [field, listFields.has(field) ? t.stringList() : t.string()])),
    }),
  });
  return {
    input,
    /** The admin-only field listing them: `translations: t.field(types.field())`. */
    field: () => ({
      type: [output] as [typeof output],
      // Null for anyone else, with an error, rather than nulling what holds it.
      nullable: true as const,
      authScopes: { writeEvents: true },
      description: 'Its text in every language other than its default, for admins (a WRITE_EVENTS token).',
      resolve: (row: Translatable) => entries(row),
    }),
  };
}
