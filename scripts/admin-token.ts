/**
 * npm run admin-token -- --name "seed script" --scopes WRITE_EVENTS,READ_REGISTRATIONS
 * Issues an API token in the configured database and prints it once. Scopes: WRITE_EVENTS,
 * READ_REGISTRATIONS, MANAGE_TOKENS. (Over HTTP, the `createAdminToken` mutation does the same.)
 */
import { parseArgs } from 'node:util';
import { disconnect } from '../src/db/client.js';
import { ensureMigrated } from '../src/db/migrations.js';
import { DomainError } from '../src/errors.js';
import { AdminScope } from '../src/generated/prisma/enums.js';
import { actingAs } from '../src/db/audit.js';
import { databaseOperator, issueAdminToken } from '../src/rules/admin-tokens.js';

const { values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string' } } });
const scopes = (values.scopes ?? '').split(',').filter(Boolean);
const unknown = scopes.filter((scope) => !(scope in AdminScope));
if (!values.name || scopes.length === 0 || unknown.length > 0) {
  console.error(`usage: npm run admin-token -- --name <name> --scopes ${Object.values(AdminScope).join(',')}${unknown.length ? `\nunknown scope: ${unknown.join(', ')}` : ''}`);
  process.exit(2);
}
try {
  await ensureMigrated();
  // Whoever can run this can write to the database: it may grant every scope.
  const { token } = await actingAs({ kind: 'SYSTEM', name: 'npm run admin-token' }, () => issueAdminToken(values.name!, scopes as AdminScope[], databaseOperator));
  console.log(token);
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await disconnect();
}
