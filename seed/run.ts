/**
 * npm run seed -- <file>                                 upsert into the configured database
 * npm run seed -- --url <api> --token <token> <file>     push to a running API (needs WRITE_EVENTS)
 * npm run seed -- --practice <file>                      a labelled future copy to try registration on (seed/practice-copy.ts)
 *
 * Either way the file is validated first; a second run of the same file changes nothing, and a
 * bad file changes nothing and names the offending field.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GraphQLClient } from 'graphql-request';
import { ImportEventDocument } from '../src/client/operations.js';
import { parseEventImport } from '../src/rules/event-file.js';
import { practiceCopy } from './practice-copy.js';

const { values, positionals } = parseArgs({
  options: { url: { type: 'string' }, token: { type: 'string' }, practice: { type: 'boolean' } },
  allowPositionals: true,
});
const [file] = positionals;
if (!file || (values.url && !values.token)) {
  console.error('usage: npm run seed -- [--url <api> --token <token>] [--practice] <file.json>');
  process.exit(2);
}

async function seedDatabase(input: unknown): Promise<string> {
  const { disconnect } = await import('../src/db/client.js');
  const { ensureMigrated } = await import('../src/db/migrations.js');
  const { importEvent } = await import('../src/resolvers/event-import.js');
  const { actingAs } = await import('../src/db/audit.js');
  try {
    await ensureMigrated();
    // A script's changes are in the audit log too.
    const summary = await actingAs({ kind: 'SYSTEM', name: 'npm run seed' }, () => importEvent(input));
    return `${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted`;
  } finally {
    await disconnect();
  }
}

async function seedApi(input: Record<string, unknown>, url: string, token: string): Promise<string> {
  const client = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });
  const { importEvent: result } = await client.request(ImportEventDocument, { input: { file: input } });
  if (result.__typename !== 'ImportEventPayload') {
    const fields = result.__typename === 'ValidationError' ? ` ${result.fields.map((field) => `${field.path}: ${field.message}`).join('; ')}` : '';
    throw new Error(`${result.code}: ${result.message}${fields}`);
  }
  return `${result.created} created, ${result.updated} updated, ${result.deleted} deleted (revision ${result.event.revision})`;
}

try {
  const read = JSON.parse(await readFile(file, 'utf8'));
  const input = values.practice ? practiceCopy(read) : read;
  parseEventImport(input); // refuse a bad file before touching any database
  const summary = values.url ? await seedApi(input, values.url, values.token!) : await seedDatabase(input);
  console.log(`${file}${values.practice ? ` (as ${(input as { event: { slug: string } }).event.slug})` : ''}: ${summary}`);
} catch (error) {
  console.error(`${file}: nothing written. ${(error as Error).message}`);
  process.exitCode = 1;
}
