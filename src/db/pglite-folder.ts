import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../project-root.js';
import { migrationChecksums } from './migration-files.js';

/**
 * A PGlite folder with the database initialised and migrated, made by `npm install`
 * (src/db/pglite-template.ts). A new folder starts as a copy of it, which skips initdb, the
 * slowest part of a first start; migrations added since are applied at start as usual.
 */
export const pgliteTemplate = projectPath('node_modules', '.cache', 'event-api', 'pglite-template');
/** The migrations the template holds, with their checksums, written once it is complete. */
export const pgliteTemplateMigrations = `${pgliteTemplate}.migrations.json`;

/**
 * Whether the template's migrations are all still in prisma/migrations unchanged. A migration
 * rewritten since `npm install` (while developing one) would not apply over its old version.
 */
function templateFits(): boolean {
  if (!existsSync(join(pgliteTemplate, 'PG_VERSION')) || !existsSync(pgliteTemplateMigrations)) return false;
  const held = JSON.parse(readFileSync(pgliteTemplateMigrations, 'utf8')) as Record<string, string>;
  const current = migrationChecksums();
  return Object.entries(held).every(([name, checksum]) => current[name] === checksum);
}

/** Makes `dir` ready for PGlite to open: as it is if it holds a database, else a copy of the template when it fits. */
export function preparePgliteFolder(dir: string): void {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if (templateFits()) cpSync(pgliteTemplate, dir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
}
