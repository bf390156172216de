/**
 * Whether every Intl API takes `tag` as a language. BCP 47's grammar, which graphql-scalars'
 * `Locale` follows, also admits private-use (`x-abcdef`) and grandfathered (`i-klingon`,
 * `zh-min-nan`) tags, on which Intl throws a RangeError: a tag from a request must not reach it.
 */
export function isIntlLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1 && Boolean(new Intl.DisplayNames(tag, { type: 'language' }));
  } catch {
    return false;
  }
}
