import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../project-root.js';

/**
 * A PGlite folder with the database initialised and migrated, made by `npm install`
 * (src/db/pglite-template.ts). A new folder starts as a copy of it, which skips initdb, the
 * slowest part of a first start; migrations added since are applied at start as usual.
 */
export const pgliteTemplate = projectPath('node_modules', '.cache', 'event-api', 'pglite-template');

/** Makes `dir` ready for PGlite to open: as it is if it holds a database, else a copy of the template when there is one. */
export function preparePgliteFolder(dir: string): void {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if (existsSync(join(pgliteTemplate, 'PG_VERSION'))) cpSync(pgliteTemplate, dir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
}
