import type { GraphQLResolveInfo } from 'graphql';
import type { RequestLanguages } from '../rules/content-languages.js';
import type { Context } from '../context.js';
import { translatableFields, type ContentLanguages, type TranslatableType, type Translatable, type Translated } from '../rules/translation.js';
import { builder } from './builder.js';

/** The response key of the root field a field answers under: `lang` given there applies to everything beneath it. */
export function rootKey(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return String(path.key);
}

/** The `lang` argument of root fields, and what it does. */
export const langDescription =
  'The language to give the content in (BCP 47, for example `fr`): wins over Accept-Language, for everything beneath this field. Where the event doesn\'t offer it, or a field has no text in it, the event\'s default language is given; each translated field says which language it is in (`titleLanguage`…).';

/** Records a root field's `lang` for the fields beneath it. */
export function askForLanguage({ languages }: Context, info: GraphQLResolveInfo, lang: string | null | undefined): void {
  if (lang) languages.askFor(String(info.path.key), lang);
}

/** Whose languages a row's text follows: its own, or its event's, named by id (at once, or once loaded). */
export type Owner<Row> = (row: Row, languages: RequestLanguages) => ContentLanguages | string | Promise<string>;

/** `owner`'s languages, at once when they are known. */
function languagesOf<Row>(row: Row, owner: Owner<Row>, languages: RequestLanguages): ContentLanguages | Promise<ContentLanguages> {
  const of = owner(row, languages);
  if (typeof of === 'string') return languages.event(of);
  return of instanceof Promise ? of.then((eventId) => languages.event(eventId)) : of;
}

/** `row[field]` in the language the request asks for beneath this field's root field, with the language it is in. */
export function textIn<Row extends Translatable, Field extends keyof Row & string, T>(
  row: Row,
  field: Field,
  owner: Owner<Row>,
  { languages }: Context,
  info: GraphQLResolveInfo,
  pick: (text: Translated<Row[Field]>) => T,
): T | Promise<T> {
  // Finding the root field walks the response path: not needed when no language is named at all.
  const key = languages.nameNone ? '' : rootKey(info);
  const show = (of: ContentLanguages) => pick(languages.shown.read(row, field, languages.choose(key, of), of.defaultLanguage));
  const of = languagesOf(row, owner, languages);
  return of instanceof Promise ? of.then(show) : show(of);
}

type Resolver<Row, T> = (row: Row, args: object, context: Context, info: GraphQLResolveInfo) => T | Promise<T>;

/**
 * The resolvers of a type's translated fields, whose text follows `owner`'s languages:
 * `title: t.string(text.of('title'))` and, beside it, `titleLanguage: t.field(text.languageOf('title', 'required'))`,
 * which says which language the text is in, the one asked for or the default where it has none in
 * that one: clients mark fallback text with it (`lang` in HTML).
 */
export function translatedFields<Row extends Translatable>(owner: Owner<Row>) {
  function of<Field extends keyof Row & string>(field: Field): { resolve: Resolver<Row, Row[Field]> } {
    return { resolve: (row, _args, context, info) => textIn(row, field, owner, context, info, (text) => text.value) };
  }
  function languageOf(field: keyof Row & string): { type: 'Locale'; nullable: true; description: string; resolve: Resolver<Row, string | null> };
  function languageOf(field: keyof Row & string, required: 'required'): { type: 'Locale'; nullable: false; description: string; resolve: Resolver<Row, string> };
  function languageOf(field: keyof Row & string, required?: 'required') {
    return {
      type: 'Locale' as const,
      nullable: !required,
      description: `The language \`${field}\` is in (BCP 47): the one asked for, or the default language where it has no text in that one${required ? '' : `; null when \`${field}\` is`}.`,
      resolve: ((row, _args, context, info) => textIn(row, field, owner, context, info, (text) => (text.value == null ? null : text.language))) as Resolver<Row, string | null>,
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
