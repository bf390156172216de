import { describe, expect, it } from 'vitest';
import { yoga } from '../src/app.js';
import { postGraphQL } from './support/api.js';

/**
 * Language tags that BCP 47's grammar admits but Intl refuses (private use, grandfathered,
 * `root`), and some that neither takes: bad input wherever a request can send one, never a 500.
 */
const refusedByIntl = ['x-abcdef', 'i-klingon', 'zh-min-nan', 'en-GB-oed', 'sgn-BE-FR', 'x-a', 'root'];
const malformed = ['', 'en-', 'a', '--', 'en_US', 'e\u0000n', 'x'.repeat(300)];
const slug = 'ohchr-remedy-tech-2021';
const get = (path: string, headers: Record<string, string> = {}) => yoga.fetch(`http://api.test${path}`, { headers });

describe('the Locale scalar', () => {
  it('refuses tags Intl does not take as BAD_USER_INPUT, in a variable or written in the query', async () => {
    for (const tag of [...refusedByIntl, ...malformed]) {
      for (const query of [
        'query ($tag: Locale!) { event(slug: "ohchr-remedy-tech-2021") { interpretationLanguages { name(locale: $tag) } } }',
        'query ($tag: Locale!) { event(slug: "ohchr-remedy-tech-2021") { title(lang: $tag) } }',
      ]) {
        const { status, json } = await postGraphQL({ query, variables: { tag } });
        // Yoga answers a variable's refusal 400, as GraphQL over HTTP asks.
        expect([status, json.errors?.[0]?.extensions?.code], `${tag} ${query}`).toEqual([400, 'BAD_USER_INPUT']);
      }
      const literal = await postGraphQL({ query: `{ event(slug: "${slug}") { interpretationLanguages { name(locale: ${JSON.stringify(tag)}) } } }` });
      expect(literal.status, tag).toBeLessThan(500);
      expect(literal.json.errors[0].extensions.code, tag).toBe('BAD_USER_INPUT');
    }
  });

  it('takes tags Intl takes, odd as they look', async () => {
    for (const tag of ['fr', 'EN-us', 'art-lojban', 'en-x-private', 'zh-Hant-TW-u-nu-hanidec', 'de-CH-1996', 'qaa']) {
      const { json } = await postGraphQL({ query: 'query ($tag: Locale!) { event(slug: "ohchr-remedy-tech-2021") { interpretationLanguages { name(locale: $tag) } } }', variables: { tag } });
      expect(json.errors, tag).toBeUndefined();
    }
  });
});

describe('?lang= on the feeds and Accept-Language', () => {
  it('answers a tag Intl does not take with 400 on the calendar and frab feeds', async () => {
    for (const tag of [...refusedByIntl, 'en-']) {
      for (const path of [`/events/${slug}.ics`, `/events/${slug}/sessions/1.ics`, `/events/${slug}/schedule.xml`, `/events/${slug}/schedule.json`]) {
        const response = await get(`${path}?lang=${encodeURIComponent(tag)}`);
        expect(response.status, `${path} ${tag}`).toBe(400);
        expect(await response.text()).toMatch(/^lang must be a language tag/);
      }
    }
  });

  it('ignores such tags in Accept-Language, in GraphQL, the feeds and the embed page', async () => {
    const header = `${refusedByIntl.join(', ')}, ${malformed.filter((tag) => !tag.includes('\u0000')).join(';q=0.5, ')}`;
    for (const path of [`/events/${slug}.ics`, `/events/${slug}/schedule.xml`, `/embed/${slug}`, `/graphql?query=${encodeURIComponent('{ event(slug: "ohchr-remedy-tech-2021") { title interpretationLanguages { name } } }')}`]) {
      const response = await get(path, { 'accept-language': header });
      expect(response.status, path).toBe(200);
    }
  });
});
