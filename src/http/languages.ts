import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';

/**
 * Says in an answer's headers which languages its text is in (`Content-Language`, see
 * `ShownLanguages`) and, when the Accept-Language header chose any of it, `Vary: Accept-Language`.
 * They travel in the result's HTTP extensions, so a cached answer keeps them: the response cache
 * stores them with it. Runs before the caching plugins (src/http/cache.ts), which keep the Vary it
 * sets.
 */
export function contentLanguageHeaders(): Plugin<Context> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result }) {
          if (isAsyncIterable(result)) return;
          const { languages } = args.contextValue as Context;
          const shown = languages.shown.languages;
          if (shown.length === 0 && !languages.dependsOnHeader) return;
          const http = ((result.extensions ??= {}).http ??= {}) as { headers?: Record<string, string> };
          const headers = (http.headers ??= {});
          if (shown.length > 0) headers['Content-Language'] = shown.join(', ');
          if (languages.dependsOnHeader) headers.Vary = 'Accept-Language';
        },
      };
    },
  };
}
