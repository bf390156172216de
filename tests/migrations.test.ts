import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { schemaPath } from '../src/db/migration-files.js';
import { pendingSchemaChange } from '../src/db/migrations.js';

describe('prisma/migrations', () => {
  // Replays every migration in WebAssembly PostgreSQL: slow on a busy machine.
  it('hold exactly what schema.prisma describes', async () => {
    expect(await pendingSchemaChange()).toBeNull();
  }, 180_000);

  it('are reported stale when schema.prisma gains a field no migration adds', async () => {
    const schema = await readFile(schemaPath, 'utf8');
    const changed = schema.replace('model Event {\n', 'model Event {\n  hashtag String?\n');
    expect(changed).not.toBe(schema);
    expect(await pendingSchemaChange(changed)).toContain('ADD COLUMN     "hashtag" TEXT');
  });
});
