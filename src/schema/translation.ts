import type { GraphQLResolveInfo } from 'graphql';
import type { RequestLanguages } from '../content-languages.js';
import type { Context } from '../context.js';
import { translatableFields, translated, type ContentLanguages, type TranslatableType, type Translatable, type Translated } from '../translation.js';
import { builder } from './builder.js';

/** The response key of the root field a field answers under: `lang` given there applies to everything beneath it. */
export function rootKey(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return String(path.key);
}

/** Whose languages a row's text follows: its own, or its event's, named by id. */
export type Owner<Row> = (row: Row, languages: RequestLanguages) => ContentLanguages | string;

/** `row[field]` in the language the request asks for beneath this field's root field, with the language it is in. */
export function textIn<Row extends Translatable, Field extends keyof Row & string, T>(
  row: Row,
  field: Field,
  owner: Owner<Row>,
  { languages }: Context,
  info: GraphQLResolveInfo,
  pick: (text: Translated<Row[Field]>) => T,
): T | Promise<T> {
  const key = rootKey(info);
  const show = (of: ContentLanguages) => pick(translated(row, field, languages.choose(key, of), of.defaultLanguage));
  const of = owner(row, languages);
  if (typeof of !== 'string') return show(of);
  const known = languages.event(of);
  return known ? show(known) : languages.eventAfterReload(of).then(show);
}

/** The resolver of a translated text field: `title: t.string(translatedText('title', owner))`. */
export function translatedText<Row extends Translatable, Field extends keyof Row & string>(field: Field, owner: Owner<Row>) {
  return {
    resolve: (row: Row, _args: object, context: Context, info: GraphQLResolveInfo) => textIn(row, field, owner, context, info, (text) => text.value),
  };
}

/**
 * The field beside a translated one saying which language its text is in: the one asked for, or
 * the default where the row has no text in it. Clients mark fallback text with it (`lang` in HTML).
 */
export function textLanguage<Row extends Translatable, Field extends keyof Row & string>(field: Field, owner: Owner<Row>) {
  return {
    type: 'Locale' as const,
    nullable: true as const,
    description: `The language \`${field}\` is in (BCP 47): the one asked for, or the default language where \`${field}\` has no text in it; null when \`${field}\` is null.`,
    resolve: (row: Row, _args: object, context: Context, info: GraphQLResolveInfo) =>
      textIn(row, field, owner, context, info, (text) => (text.value == null ? null : text.language)),
  };
}

/** A row's translations, one entry per language, as admins read them. */
type TranslationEntry = { language: string } & Record<string, unknown>;

function entries(row: Translatable): TranslationEntry[] {
  const translations = (row.translations ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(translations).map(([language, fields]) => ({ ...fields, language }));
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
      language: t.field({ type: 'Locale', required: true, description: 'BCP 47, as the event lists it in `contentLanguages`, for example `fr`.' }),
      ...Object.fromEntries(fields.map((field) => [field, listFields.has(field) ? t.stringList() : t.string()])),
    }),
  });
  return {
    input,
    /** The admin-only field listing them: `translations: t.field(types.field())`. */
    field: () => ({
      type: [output],
      authScopes: { writeEvents: true },
      description: 'Its text in every language other than its default, for admins (a WRITE_EVENTS token).',
      resolve: (row: Translatable) => entries(row),
    }),
  };
}

/** `[{ language, title, … }]` as the admin mutations take them, in the shape stored and imported: `{ fr: { title } }`. */
export function translationsFromInput(list: readonly ({ language: string } & Record<string, unknown>)[] | null | undefined) {
  if (!list) return undefined;
  return Object.fromEntries(
    list.map(({ language, ...fields }) => [language, Object.fromEntries(Object.entries(fields).filter(([, value]) => value != null))]),
  );
}
