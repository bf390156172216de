import { getOperationAST, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';

/**
 * Whether a root field of the operation is given a `lang` (only root fields take one): known before
 * any field is resolved, it tells the fields that select the rows whether to load translations.
 */
export function operationNamesLanguage(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const seen = new Set<string>();
  const names = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        const lang = selection.arguments?.find((argument) => argument.name.value === 'lang')?.value;
        return lang !== undefined && (lang.kind === Kind.VARIABLE ? variables?.[lang.name.value] != null : lang.kind !== Kind.NULL);
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return names(selection.selectionSet);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return names(fragment.selectionSet);
    });
  return names(operation.selectionSet);
}

/**
 * Says in an answer's headers which languages its text was chosen in (`Content-Language`) and, when
 * the Accept-Language header chose any of it, `Vary: Accept-Language`. They travel in the result's
 * HTTP extensions, so a cached answer keeps them: the response cache stores them with it. Runs
 * before the caching plugins (src/http/cache.ts), which keep the Vary it sets. Before execution,
 * tells the request's languages whether the operation names one.
 */
export function contentLanguageHeaders(): Plugin<Context> {
  return {
    onExecute({ args }) {
      if (operationNamesLanguage(args.document, args.operationName, args.variableValues)) (args.contextValue as Context).languages.languageNamed();
      return {
        onExecuteDone({ args, result }) {
          if (isAsyncIterable(result)) return;
          const { languages } = args.contextValue as Context;
          if (languages.shown.size === 0) return;
          const http = ((result.extensions ??= {}).http ??= {}) as { headers?: Record<string, string> };
          const headers = (http.headers ??= {});
          headers['Content-Language'] = [...languages.shown].join(', ');
          if (languages.dependsOnHeader) headers.Vary = 'Accept-Language';
        },
      };
    },
  };
}
