import { GraphQLError, GraphQLScalarType } from 'graphql';
import { LocaleResolver, TimeZoneResolver } from 'graphql-scalars';
import { isIntlLanguageTag } from '../rules/language-tags.js';

// graphql-scalars' Locale and TimeZone, each made stricter or cheaper for what this API needs.

// Only tags that Intl takes too: the rest would throw in Intl.DisplayNames, far from the argument.
const badLocale = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
function intlLocale(read: () => unknown): string {
  let tag: unknown;
  try {
    tag = read();
  } catch (error) {
    throw badLocale((error as Error).message);
  }
  if (typeof tag !== 'string' || !isIntlLanguageTag(tag)) throw badLocale('Value is a BCP-47 tag that Intl does not support (private-use and grandfathered tags are not): use one such as fr or pt-BR.');
  return tag;
}

export const localeScalar = new GraphQLScalarType({
  ...LocaleResolver.toConfig(),
  parseValue: (value) => intlLocale(() => LocaleResolver.parseValue(value)),
  parseLiteral: (ast, variables) => intlLocale(() => LocaleResolver.parseLiteral(ast, variables)),
});

// graphql-scalars checks a zone by building two Intl formatters each time it sends one, a cost
// that shows in the agenda's profile: a zone sent once is known valid.
const sentZones = new Set<unknown>();
export const timeZoneScalar = new GraphQLScalarType({
  ...TimeZoneResolver.toConfig(),
  serialize: (zone) => {
    if (!sentZones.has(zone)) sentZones.add(TimeZoneResolver.serialize(zone));
    return zone;
  },
});
