import { z } from 'zod';
import { ValidationError } from '../errors.js';

// What a valid value of each kind is, in an import file and in admin input alike; a wrong one is
// a ValidationError naming where it is.

/** Instants carry their UTC offset so a file reads unambiguously. */
export const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
export const text = z.string().trim().min(1);
export const optionalText = text.nullish().transform((value) => value ?? null);
export const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens');
export const timeZone = text.refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}, 'is not an IANA time zone (for example Europe/Zurich)');

export const languageTag = text.refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, 'is not a BCP 47 language tag (for example en, es, fr)');

/**
 * A language of an event's content, as BCP 47 writes it canonically (`fr`, `pt-BR`): languages
 * are compared as they are written, so `FR` is refused rather than kept beside `fr`.
 */
export const contentLanguage = z.string().refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag)[0] === tag;
  } catch {
    return false;
  }
}, 'is not a BCP 47 language tag as written canonically (for example fr, es, pt-BR)');

export const seats = z.number().int().min(0).nullish().transform((value) => value ?? null);
export const httpUrl = z.url({ protocol: /^https?$/ });
export const webUrl = httpUrl.nullish().transform((value) => value ?? null);

export function duplicates<T>(values: T[]): number[] {
  const seen = new Set<T>();
  return values.flatMap((value, index) => (seen.has(value) ? [index] : (seen.add(value), [])));
}

/** `a.b[2].c`, the way the file's author would point at the field. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** `value` parsed by `schema`, or a ValidationError naming every bad field, under `root` when given (`input.title`). */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, root?: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((issue) => ({ path: formatPath(root ? [root, ...issue.path] : issue.path) || '(root)', message: issue.message })),
    );
  }
  return result.data;
}
