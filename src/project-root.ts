import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding package.json (and prisma/, seed/, src/), found from this module whether it
 * runs from src/ under a loader or compiled to dist/.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);

/** A path inside the project, e.g. `projectPath('prisma', 'schema.prisma')`. */
export const projectPath = (...segments: string[]): string => join(projectRoot, ...segments);
