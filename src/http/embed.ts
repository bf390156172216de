import { readFile } from 'node:fs/promises';
import type { Plugin, YogaServer } from 'graphql-yoga';
import type { WidgetAgendaQuery } from '../client/operations.js';
import { escapeHtml, labels, operationUrl, readOptions, renderDays, renderHeader, resolveZone, styles, type Language } from '../embed/agenda-view.js';
import { projectPath } from '../project-root.js';
import { EncodedBody, encodedResponse } from './compression.js';
import { trustedOperations } from './trusted-documents.js';

const pageRoute = /^\/embed\/([^/]+)$/;

/**
 * The widget as one classic script: src/embed/agenda-view.ts and agenda-widget.ts in one scope,
 * their types stripped by TypeScript's transpiler, with where the API is and the trusted
 * operations' hashes. Built once, on the first request, so that processes that never serve it
 * don't load TypeScript.
 */
async function compileWidget(endpoint: string): Promise<EncodedBody> {
  const { default: ts } = await import('typescript');
  const modules = await Promise.all(
    ['agenda-view.ts', 'agenda-widget.ts'].map(async (name) => {
      const source = await readFile(projectPath('src', 'embed', name), 'utf8');
      const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: true };
      // One scope instead of two modules: no imports, no exports.
      return ts.transpileModule(source, { compilerOptions }).outputText.replace(/^import [^;]*;$/gm, '').replace(/^export /gm, '');
    }),
  );
  const config = { endpoint, operations: trustedOperations };
  const body = `(() => {\n'use strict';\nconst EMBED = ${JSON.stringify(config)};\n${modules.join('\n')}})();\n`;
  return EncodedBody.ofText(body);
}

const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  // No script at all, and any site may frame the page.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *",
};

function page(lang: Language, title: string, body: string, status: number): Response {
  const html =
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>body { margin: 0; }${styles}</style></head>` +
    `<body><main class="agenda" dir="ltr" aria-label="${escapeHtml(labels[lang].agenda)}">${body}</main></body></html>\n`;
  return new Response(html, { status, headers: { ...pageHeaders, 'cache-control': status === 200 ? 'public, max-age=60' : 'no-store' } });
}

const note = (text: string) => `<p class="note">${escapeHtml(text)}</p>`;

/**
 * `GET /embed/agenda.js`: the `<event-agenda>` element for partner pages (see README.md).
 * `GET /embed/<slug>?lang=&day=&time-zone=&mechanism-type=`: the same agenda as a page without
 * script, for iframes, in the event's zone unless `time-zone` names another.
 */
export function embed(): Plugin {
  let graphql: YogaServer<Record<string, unknown>, Record<string, unknown>>;
  let script: Promise<EncodedBody> | undefined;
  return {
    onYogaInit({ yoga }) {
      graphql = yoga;
    },
    async onRequest({ request, url, serverContext, endResponse }) {
      if (request.method !== 'GET') return;
      if (url.pathname === '/embed/agenda.js') {
        const widget = await (script ??= compileWidget(graphql.graphqlEndpoint));
        const headers = { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=300' };
        endResponse(encodedResponse(request, widget, headers));
        return;
      }
      const slug = pageRoute.exec(url.pathname)?.[1];
      if (!slug) return;
      const { options, problems } = readOptions((name) => url.searchParams.get(name), 'en');
      const t = labels[options.lang];
      if (problems.length) {
        endResponse(page(options.lang, t.agenda, note(problems.join(' ')), 400));
        return;
      }
      const query = operationUrl(new URL(graphql.graphqlEndpoint, url), 'WidgetAgenda', trustedOperations.WidgetAgenda!, { slug, day: options.day, lang: options.contentLang });
      // Through Yoga's GraphQL handling (and so its response cache), not another HTTP request.
      const response = await graphql.handle(new Request(query, { headers: { accept: 'application/graphql-response+json' } }), serverContext);
      const { data } = (await response.json()) as { data?: WidgetAgendaQuery | null };
      const event = data?.event;
      if (!data) endResponse(page(options.lang, t.failed, note(t.failed), 502));
      else if (!event) endResponse(page(options.lang, t.notFound, note(t.notFound), 404));
      else {
        // Without script, the viewer's own zone is unknown: `local` shows the event's.
        const view = { ...options, zone: resolveZone(options.timeZone, event.timeZone, event.timeZone), level: 1 as const };
        endResponse(page(options.lang, event.title, renderHeader(event, view) + renderDays(event, view), 200));
      }
    },
  };
}
