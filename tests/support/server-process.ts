import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** A node program that serves HTTP on PORT, started as a real process and awaited until `answers(url)`. */
export async function startNodeServer(options: {
  name: string;
  args: string[];
  cwd?: string;
  env: Record<string, string | undefined>;
  answers: (url: string) => Promise<boolean>;
}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: { ...process.env, ...options.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  // The latest megabyte or so: a benchmark's server logs a line per request. Chunks are kept as
  // they come and joined when asked for: joining on every chunk copied the whole megabyte each
  // time, in the load generator's own thread.
  const chunks: Buffer[] = [];
  let kept = 0;
  const keep = (chunk: Buffer) => {
    chunks.push(chunk);
    kept += chunk.length;
    while (kept - chunks[0]!.length >= 1_000_000) kept -= chunks.shift()!.length;
  };
  const output = () => Buffer.concat(chunks).toString();
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited: ${output()}`);
    if (await options.answers(url).catch(() => false)) break;
    if (attempt > 600) throw new Error(`${options.name} did not answer: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** What production servers in tests sign keys with, unless a test gives its own. */
export const testKeySecret = 'test-key-secret-of-at-least-32-characters';

/** Starts the server that `npm start` runs (dist/server.js, built by the tests' global setup) as a real process and waits until it answers. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  return startNodeServer({
    name: 'server',
    // node itself: one process, so a signal reaches the server, not a wrapper.
    args: ['dist/server.js'],
    env: { KEY_SECRET: testKeySecret, ...env },
    answers: (url) => fetch(`${url}/graphql?query=${encodeURIComponent('{ __typename }')}`).then((response) => response.ok),
  });
}
