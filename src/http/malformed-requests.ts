import type { RequestListener } from 'node:http';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';

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

/** What each GraphQL-over-HTTP parameter must be when it is there at all. */
const parameterTypes = { query: 'string', operationName: 'string', variables: 'object', extensions: 'object' } as const;

const jsonType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * The parameters of a query string or a form body, as Yoga reads them (an empty one is none),
 * except that `variables` or `extensions` that are not JSON answer 400 rather than throwing.
 */
function searchParameters(search: URLSearchParams): GraphQLParams {
  const json = (name: 'variables' | 'extensions') => {
    const text = search.get(name);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw badRequest(`The \`${name}\` parameter is not JSON.`);
    }
  };
  return { query: search.get('query') || undefined, operationName: search.get('operationName') || undefined, variables: json('variables'), extensions: json('extensions') };
}

const isForm = (request: Request) => request.method === 'POST' && /^application\/x-www-form-urlencoded\s*(;|,|$)/i.test(request.headers.get('content-type') ?? '');

/**
 * GraphQL parameters that would make code further on throw are refused with 400 naming the
 * parameter, before any plugin reads them (this plugin's `onParams` runs first, see src/app.ts): a
 * parameter of the wrong JSON type (an `operationName` that is a number can't be cut short for the
 * log), variables nested deep enough to overflow the stack hashing them for the cache key, and
 * JSON that doesn't parse in a query string or a form body.
 */
export function malformedParameters(): Plugin {
  return {
    onRequestParse({ request, url, setRequestParser }) {
      if (request.method === 'GET') setRequestParser(() => searchParameters(url.searchParams));
      else if (isForm(request)) setRequestParser(async (body) => searchParameters(new URLSearchParams(await body.text())));
    },
    onParams({ params }) {
      for (const [name, type] of Object.entries(parameterTypes)) {
        const given = jsonType((params as Record<string, unknown>)[name]);
        if (given !== type && given !== 'undefined' && given !== 'null') throw badRequest(`The \`${name}\` parameter must be ${type === 'string' ? 'a string' : 'a JSON object'}, not ${given === 'array' || given === 'object' ? 'an' : 'a'} ${given}.`);
      }
      if (nestedDeeperThan(params.variables, maxJsonDepth) || nestedDeeperThan(params.extensions, maxJsonDepth)) {
        throw badRequest(`Variables and extensions may nest at most ${maxJsonDepth} levels deep.`);
      }
    },
  };
}
