// Bundles the server (src/ and the packages it imports) into dist/, so that `npm start` runs
// plain JavaScript: no TypeScript loader, and one file to load instead of some 1,300 modules to
// resolve one by one, which was most of the start-up's time. Transpiles only: `npm run check`
// type-checks. Plain JavaScript itself, so that it needs no loader.
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const entryPoints = { server: join(root, 'src/server.ts'), 'pglite-template': join(root, 'src/pglite-template.ts') };
// Loaded from node_modules at run time: they read files of their own package (WebAssembly,
// TypeScript's library) or are build tools.
const external = ['@electric-sql/pglite', '@prisma/schema-engine-wasm', 'typescript', 'esbuild', 'pg-native'];

/**
 * graphql's own ES modules for every import of graphql or of a file in it. esbuild, for Node,
 * takes a package's `main`, here graphql's CommonJS build, and reads each of its exports through a
 * getter at every use: the executor's calls into graphql cost 340 µs of an uncached agenda's CPU.
 * All imports go one way, so there is one graphql in the bundle, not one of each build.
 */
const graphqlRoot = dirname(createRequire(import.meta.url).resolve('graphql/package.json'));
const graphqlAsModules = {
  name: 'graphql-as-modules',
  setup(build) {
    build.onResolve({ filter: /^graphql(\/|$)/ }, ({ path }) => {
      const file = path === 'graphql' ? 'index' : path.slice('graphql/'.length).replace(/\.m?js$/, '');
      const found = [`${file}.mjs`, `${file}/index.mjs`].map((name) => join(graphqlRoot, name)).find((candidate) => existsSync(candidate));
      if (!found) throw new Error(`no ES module of graphql for "${path}"`);
      return { path: found };
    });
  },
};

/** The newest change in src/, prisma/ (the generated client's input) and package-lock.json: a folder's time changes when a file is added or removed. */
async function newestSourceChange() {
  const watched = [join(root, 'src'), join(root, 'package-lock.json')];
  for (const entry of await readdir(join(root, 'src'), { withFileTypes: true, recursive: true })) watched.push(join(entry.parentPath, entry.name));
  const times = await Promise.all(watched.map((path) => stat(path).then((s) => s.mtimeMs, () => 0)));
  return Math.max(...times);
}

/** Builds dist/ unless it is newer than every source. */
export async function buildIfStale({ force = false } = {}) {
  const builtAt = await stat(stamp).then((s) => s.mtimeMs, () => 0);
  if (!force && builtAt > (await newestSourceChange())) return false;
  const { build } = await import('esbuild');
  await rm(dist, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: dist,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    external,
    plugins: [graphqlAsModules],
    sourcemap: true,
    logLevel: 'warning',
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
  await writeFile(stamp, new Date().toISOString());
  return true;
}

if (import.meta.filename === process.argv[1]) await buildIfStale({ force: true });
