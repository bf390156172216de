/**
 * npm run seed -- <file>   validate a seed file and upsert its event into the configured database.
 * A second run of the same file changes nothing; a bad file changes nothing and names the field.
 */
import { readFile } from 'node:fs/promises';
import { disconnect } from '../src/db/client.js';
import { ensureMigrated } from '../src/db/migrations.js';
import { DomainError } from '../src/errors.js';
import { importEvent, parseEventImport } from '../src/resolvers/event-import.js';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: npm run seed -- <file.json>');
  process.exit(2);
}
try {
  const input: unknown = JSON.parse(await readFile(file, 'utf8'));
  parseEventImport(input); // refuse a bad file before opening the database
  await ensureMigrated();
  const summary = await importEvent(input);
  console.log(`${file}: ${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted`);
} catch (error) {
  if (!(error instanceof DomainError || error instanceof SyntaxError)) throw error;
  console.error(`${file}: nothing written. ${error.message}`);
  process.exitCode = 1;
} finally {
  await disconnect();
}
