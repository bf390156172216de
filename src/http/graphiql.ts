import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

let built: { key: string; page: string } | undefined;

/**
 * GraphiQL with its scripts, styles and workers inline, from @graphql-yoga/render-graphiql, instead
 * of Yoga's default page, which loads them from a CDN and stays on "Loading…" offline or behind a
 * network policy that allows only the API. The page is large (about 9 MB): it is built once, for
 * the options the app configures (they don't depend on the request).
 */
export function graphiqlPage(options?: GraphiQLOptions): string {
  const key = JSON.stringify(options ?? {});
  if (built?.key !== key) built = { key, page: renderGraphiQL(options) };
  return built.page;
}
