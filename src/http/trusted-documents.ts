import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { Kind, parse, print } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { projectPath } from '../project-root.js';

const source = await readFile(projectPath('src', 'client', 'widget.graphql'), 'utf8');

/**
 * The operations of src/client/widget.graphql, each known by the sha256 hex of its printed text
 * (`print()` of graphql-js, the same for the file and for src/client/operations.ts's document).
 */
const operations = parse(source).definitions.flatMap((definition) => {
  if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) return [];
  const text = print(definition);
  return [{ name: definition.name.value, text, hash: createHash('sha256').update(text).digest('hex') }];
});

/** Operation name to hash, for the clients served from here (the embeddable widget). */
export const trustedOperations: Record<string, string> = Object.fromEntries(operations.map(({ name, hash }) => [name, hash]));

const textByHash = new Map(operations.map(({ hash, text }) => [hash, text]));

/**
 * Trusted documents: `extensions={"persistedQuery":{"version":1,"sha256Hash":"…"}}` runs the
 * operation with that hash, so a GET carries a hash rather than the query. Runs before the
 * response cache, which keys on the operation's text.
 */
export function trustedDocuments(): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => textByHash.get(hash) ?? null,
    // GraphiQL, partners' own code and scripts still send whole queries.
    allowArbitraryOperations: true,
  });
}
