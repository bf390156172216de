import type { RequestListener } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/** Deeper variables or extensions than any input of ours (an import file is about 6 deep). */
const maxJsonDepth = 32;

function plainRefusal(res: Parameters<RequestListener>[1], message: string): void {
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end(`${message}\n`);
}

/**
 * Requests Node accepts but no URL can be made of (a Host of `999.999.999.999` or `[::::`): the
 * fetch adapter under Yoga would throw on them, so they are answered 400 before it.
 */
export function refuseMalformedRequests(next: RequestListener): RequestListener {
  return (req, res) => {
    if (!URL.canParse(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`)) return plainRefusal(res, 'Malformed request: the Host header or the path is not valid.');
    return next(req, res);
  };
}

/** Whether `value` nests objects or arrays deeper than `limit`, found without recursion. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

const badRequest = (message: string) => createGraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/**
 * GraphQL parameters that would make code further on throw (a stack overflow hashing deep
 * variables for the cache key, JSON that does not parse in a GET's query string) are refused with
 * 400 as soon as they are read.
 */
export function malformedParameters(): Plugin {
  return {
    onRequestParse({ request, url }) {
      if (request.method !== 'GET') return;
      for (const name of ['variables', 'extensions']) {
        const text = url.searchParams.get(name);
        if (text === null) continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw badRequest(`The \`${name}\` query parameter is not JSON.`);
        }
        if (value !== null && (typeof value !== 'object' || Array.isArray(value))) throw badRequest(`The \`${name}\` query parameter must be a JSON object.`);
      }
    },
    onParams({ params }) {
      if (nestedDeeperThan(params.variables, maxJsonDepth) || nestedDeeperThan(params.extensions, maxJsonDepth)) {
        throw badRequest(`Variables and extensions may nest at most ${maxJsonDepth} levels deep.`);
      }
    },
  };
}
