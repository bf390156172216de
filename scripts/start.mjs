// `npm start`: rebuilds dist/ if src/ changed since the last build, then runs the built server in
// this same process (so that signals reach it).
import { buildIfStale } from './build.mjs';

await buildIfStale();
await import('../dist/server.js');
