import type { GraphiQLOptions } from 'graphql-yoga';

let built: { key: string; page: Promise<string> } | undefined;

/**
 * GraphiQL with its scripts, styles and workers inline, from @graphql-yoga/render-graphiql, instead
 * of Yoga's default page, which loads them from a CDN and stays on "Loading…" offline or behind a
 * network policy that allows only the API. The page is large (about 9 MB): it is built once, for
 * the options the app configures (they don't depend on the request), and its module loads on the
 * first request for it, so that a start (and production, where GraphiQL is off) doesn't parse it.
 */
export function graphiqlPage(options?: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options ?? {});
  if (built?.key !== key) built = { key, page: import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options)) };
  return built.page;
}
