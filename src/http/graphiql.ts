import { createHash } from 'node:crypto';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { EncodedBody, encodedResponse } from './compression.js';

interface Asset {
  path: string;
  contentType: string;
  body: EncodedBody;
}

/** A file named by its content, so a browser may keep it for good: a new GraphiQL is a new name. */
function asset(extension: string, contentType: string, content: string | Buffer<ArrayBuffer>): Asset {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const hash = createHash('sha256').update(bytes).digest('base64url');
  return { path: `/graphiql/${hash.slice(0, 16)}.${extension}`, contentType, body: new EncodedBody(bytes, `"${hash}"`) };
}

/** `text` from `start` to `end`, which must be there: render-graphiql's page changed otherwise. */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const until = text.indexOf(end, from + start.length);
  if (from < 0 || until < 0) throw new Error(`@graphql-yoga/render-graphiql's page has no ${start}…${end}`);
  return text.slice(from + start.length, until);
}

/**
 * GraphiQL's script (with Monaco's workers, started from blobs), styles and icon, from
 * @graphql-yoga/render-graphiql rather than a CDN: it works offline and behind a network policy
 * that allows only the API. The package gives them only inlined in one page, which is taken apart
 * here. About 9 MB in all, loaded on the first request that needs them, so that a start (and
 * production, where GraphiQL is off) doesn't parse them.
 */
async function loadAssets() {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const page = renderGraphiQL({});
  const script = between(page, '<script>', 'YogaGraphiQL.renderYogaGraphiQL(');
  const styles = between(page, '<style>', '</style>');
  const icon = between(page, 'href="data:image/x-icon;base64,', '"');
  return {
    script: asset('js', 'text/javascript; charset=utf-8', script),
    styles: asset('css', 'text/css; charset=utf-8', styles),
    icon: asset('ico', 'image/x-icon', Buffer.from(icon, 'base64')),
  };
}

let assets: ReturnType<typeof loadAssets> | undefined;
const graphiqlAssets = () => (assets ??= loadAssets());

/** JSON that can sit in a `<script>` element: no `</script>` or `<!--` can end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/**
 * GraphiQL's page: small, naming its script, styles and icon, which the browser keeps
 * (`immutable`) and so fetches once, rather than Yoga's page, which loads them from a CDN, or
 * render-graphiql's, which inlines all 9 MB into a page sent afresh on every visit.
 */
export async function graphiqlPage(options?: GraphiQLOptions): Promise<string> {
  const { script, styles, icon } = await graphiqlAssets();
  const title = (options?.title ?? 'Yoga GraphiQL').replace(/[<&]/g, (character) => (character === '<' ? '&lt;' : '&amp;'));
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="${icon.path}"><link rel="stylesheet" href="${styles.path}"></head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root"></div>
<script src="${script.path}"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options ?? {})});</script>
</body>
</html>
`;
}

/** Serves GraphiQL's assets, compressed as the client accepts, when GraphiQL is on. */
export function graphiqlAssetFiles(enabled: boolean): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (!enabled || !['GET', 'HEAD'].includes(request.method) || !url.pathname.startsWith('/graphiql/')) return;
      const found = Object.values(await graphiqlAssets()).find(({ path }) => path === url.pathname);
      if (!found) return;
      endResponse(encodedResponse(request, found.body, { 'content-type': found.contentType, 'cache-control': 'public, max-age=31536000, immutable' }));
    },
  };
}
