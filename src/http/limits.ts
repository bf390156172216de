import { isIP } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { getOperationAST, type DocumentNode, Kind, NoSchemaIntrospectionCustomRule, type ExecutionArgs, type FragmentDefinitionNode, type SelectionNode } from 'graphql';
import { Repeater } from '@graphql-yoga/subscription';
import { LRUCache } from 'lru-cache';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { hit, retryAfterSeconds } from '../db/counters.js';

export interface LimitSettings {
  /** Introspection (`__schema`, `__type`) allowed; field suggestions are hidden whenever it is not. */
  introspection: boolean;
  production: boolean;
  queryTimeoutMs: number;
  registrationsPerAddress: number;
  /** How many proxies of ours stand in front and append to X-Forwarded-For (TRUST_PROXY). */
  trustedProxies: number;
  /** Live-update streams (subscriptions over SSE) open at once from one client address (LIVE_UPDATES_PER_CLIENT). */
  liveUpdatesPerClient: number;
  /** Live-update streams open at once in this process (LIVE_UPDATES_MAX): each holds a socket, a file. */
  liveUpdatesMax: number;
  /** A live-update stream ends after this long (LIVE_UPDATE_SECONDS); EventSource reconnects by itself. */
  liveUpdateSeconds: number;
}

const production = process.env.NODE_ENV === 'production';

/** TRUST_PROXY: `true` for one proxy, or how many; unset or `false` for none. */
function trustedProxies(value: string | undefined): number {
  return value === 'true' ? 1 : Number.parseInt(value ?? '', 10) || 0;
}

export const limitSettings: LimitSettings = {
  introspection: process.env.GRAPHQL_INTROSPECTION ? process.env.GRAPHQL_INTROSPECTION !== 'false' : !production,
  production,
  queryTimeoutMs: Number(process.env.QUERY_TIMEOUT_MS ?? 10_000),
  registrationsPerAddress: Number(process.env.REGISTRATIONS_PER_ADDRESS ?? 20),
  trustedProxies: trustedProxies(process.env.TRUST_PROXY),
  liveUpdatesPerClient: Number(process.env.LIVE_UPDATES_PER_CLIENT ?? 10),
  liveUpdatesMax: Number(process.env.LIVE_UPDATES_MAX ?? 500),
  liveUpdateSeconds: Number(process.env.LIVE_UPDATE_SECONDS ?? 3_600),
};

/**
 * Parsed documents (and parse errors) by their text, as Yoga keeps them, bounded by the texts'
 * length as well as their number: every distinct text a client sends (a comment apart) is a new
 * entry, and a parsed document, with what execution memoizes on it, holds some 40 times its text.
 * A megabyte of text is hundreds of the largest first-party documents.
 */
export function boundedParserCache(): { documentCache: LRUCache<string, DocumentNode>; errorCache: LRUCache<string, Error> } {
  const byText = <T extends {}>() => new LRUCache<string, T>({ max: 1_024, maxSize: 1_000_000, sizeCalculation: (_, text) => Math.max(1, text.length), ttl: 3_600_000 });
  return { documentCache: byText<DocumentNode>(), errorCache: byText<Error>() };
}


/** Largest request body (createYoga's `maxRequestBodySize`): the seed file is 13 kB, a query a few. */
export const maxRequestBodySize = Number(process.env.MAX_REQUEST_BYTES ?? 100_000);

/**
 * Limits on what one request may ask of the API, with room above the largest legitimate queries:
 * EventAgenda in src/client/event.graphql, the full agenda a partner site needs, at depth 8
 * (fragments not counted) and cost about 57 000 (its three `first: 100` pages multiply); and a
 * `node` query selecting every type's fields (tests/privacy.test.ts), 4 630 tokens and 117
 * aliases, as fields of the same name under different types must be aliased.
 */
export function abuseLimits(overrides: Partial<LimitSettings> = {}): Plugin[] {
  const settings = { ...limitSettings, ...overrides };
  return [
    csrfPrevention(),
    EnvelopArmorPlugin({
      // Fragments don't deepen a query; a fragment named `__schema` is still counted (armor ≥ 3.2).
      maxDepth: { n: 10, flattenFragments: true, ...refusedAs('QUERY_TOO_DEEP', 'Query too deep: depth', 10) },
      // A page of pages (100 × 100 rows) costs well over this.
      costLimit: { maxCost: 100_000, flattenFragments: true, ...refusedAs('QUERY_TOO_COMPLEX', 'Query too complex: cost', 100_000) },
      // Aliases multiply work only within the cost limit, which counts every aliased field.
      maxAliases: { n: 130, ...refusedAs('TOO_MANY_ALIASES', 'Too many aliases:', 130) },
      maxTokens: { n: 5_000, ...refusedAs('TOO_MANY_TOKENS', 'Too many tokens:', 5_000) },
      maxDirectives: { n: 20, ...refusedAs('TOO_MANY_DIRECTIVES', 'Too many directives:', 20) },
      // Armor hides only quoted field suggestions at validation: `hiddenSuggestions` does all of them.
      blockFieldSuggestion: { enabled: false },
    }),
    ...(settings.production || !settings.introspection ? [hiddenSuggestions()] : []),
    ...(settings.introspection ? [] : [{ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) } satisfies Plugin]),
    queryTimeout(settings.queryTimeoutMs),
    registrationRateLimit(settings),
    liveUpdateLimits(settings),
  ];
}

type ArmorLimit = NonNullable<NonNullable<Parameters<typeof EnvelopArmorPlugin>[0]>['maxDepth']>;

/**
 * A limit's refusal that a frontend can act on: its own `code`, the `limit` and what the query
 * has (`found`), instead of armor's "Syntax Error: …" with no code. Armor's message is the only
 * place that says what it found; the token count stops at the limit, so it finds "more than".
 * Validation limits are reported together; the token limit stops the parser, so it is thrown.
 */
function refusedAs(code: string, what: string, limit: number): Pick<ArmorLimit, 'onReject' | 'propagateOnRejection'> {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, armorError) => {
        const found = Number(/found (\d+)/.exec(armorError.message)?.[1]) || undefined;
        const error = createGraphQLError(`${what} ${found ?? `more than ${limit}`}, limit ${limit}.`, { extensions: { code, limit, ...(found && { found }) } });
        if (!context) throw error;
        context.reportError(error);
      },
    ],
  };
}

/**
 * Suggestions would spell out a schema that introspection hides: "Did you mean …?" goes from every
 * error message, those of validation (fields, enum values, arguments) and those of variables
 * (a misspelt input field, an enum value), which graphql-js only finds as execution starts.
 */
function hiddenSuggestions(): Plugin {
  return {
    onResultProcess({ result }) {
      // Streams (subscriptions) report such errors before they start, as a single result.
      if (Symbol.asyncIterator in result) return;
      for (const { errors } of Array.isArray(result) ? result : [result]) {
        for (const error of errors ?? []) error.message = error.message.replace(/\s*Did you mean [^?]*\?/g, '');
      }
    },
  };
}

/**
 * Browsers send a form, multipart or text/plain POST to any site without asking first: such a
 * POST needs the `X-GraphQL-Yoga-CSRF` header, which a page can only add after a CORS preflight.
 * GET is left alone: it can't mutate (Yoga refuses mutations over GET), and a browser's
 * EventSource or a cacheable read can't add headers.
 */
function csrfPrevention(): Plugin {
  const csrf = useCSRFPrevention();
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET' || payload.request.method === 'HEAD') return;
      return csrf.onRequestParse?.(payload);
    },
  };
}

/**
 * Stops waiting for a query after `ms` and answers 503. Resolvers get the abort as `info.signal`;
 * SQL already sent runs to its end. Mutations are left to finish: one cut short could still
 * commit after its client was told it failed. Subscriptions don't go through execute.
 */
function queryTimeout(ms: number): Plugin {
  return {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      const controller = new AbortController();
      const timer = setTimeout(() => {
        controller.abort(
          createGraphQLError(`The query took longer than ${ms / 1000} s and was stopped. Ask for less at once.`, {
            extensions: { code: 'QUERY_TIMEOUT', http: { status: 503 } },
          }),
        );
      }, ms);
      // The executor Yoga uses (@graphql-tools/executor) takes `signal`; graphql-js's type lacks it.
      Object.assign(args, { signal: controller.signal });
      return { onExecuteDone: () => clearTimeout(timer) };
    },
  };
}

type NodeServerContext = { request: Request; req?: { socket?: { remoteAddress?: string } } };

/**
 * The caller's address: the socket's, or with TRUST_PROXY the one our nearest proxy saw (the
 * right-most X-Forwarded-For entries are the only ones the client didn't write). `local` only
 * when it is this machine's own socket address, never one taken from X-Forwarded-For, which a
 * client may write as it likes. Undefined for in-process calls (`yoga.fetch` from scripts and
 * tests), which come from no network.
 */
function clientAddress({ request, req }: NodeServerContext, proxies: number): { address: string; local: boolean } | undefined {
  const socket = req?.socket?.remoteAddress?.replace(/^::ffff:(?=\d+\.)/, '');
  if (!socket) return undefined;
  const forwarded = proxies ? (request.headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean) : [];
  const chain = [...forwarded, socket];
  const index = Math.max(0, chain.length - 1 - proxies);
  const address = chain[index]!.replace(/^::ffff:(?=\d+\.)/, '');
  return { address, local: index === chain.length - 1 && /^(127\.|::1$)/.test(address) };
}

/** What the address limit counts: an IPv4 address, or the /64 that an IPv6 client usually holds whole. */
function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The mutations that mail someone, counted per client address. */
const mailingMutations = new Set(['registerForEvent', 'requestManageLink']);

/** How many `registerForEvent` and `requestManageLink` fields a mutation runs, aliases and fragments included. */
function registrationCount(args: ExecutionArgs): number {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'mutation') return 0;
  const fragments = new Map(
    args.document.definitions.filter((node): node is FragmentDefinitionNode => node.kind === Kind.FRAGMENT_DEFINITION).map((node) => [node.name.value, node]),
  );
  const count = (selections: readonly SelectionNode[], seen: Set<string>): number =>
    selections.reduce((total, selection) => {
      if (selection.kind === Kind.FIELD) return total + (mailingMutations.has(selection.name.value) ? 1 : 0);
      if (selection.kind === Kind.INLINE_FRAGMENT) return total + count(selection.selectionSet.selections, seen);
      const fragment = fragments.get(selection.name.value);
      // Validation refuses fragment cycles later; don't loop on one before it does.
      if (!fragment || seen.has(fragment.name.value)) return total;
      return total + count(fragment.selectionSet.selections, new Set([...seen, fragment.name.value]));
    }, 0);
  return count(operation.selectionSet.selections, new Set());
}

/**
 * `registerForEvent` and `requestManageLink`, together, at most REGISTRATIONS_PER_ADDRESS times
 * per client address in 15 minutes,
 * counted before anything runs; beyond, the whole request answers 429 with Retry-After. This
 * machine's own address (scripts, the benchmark, a proxy when TRUST_PROXY is unset) has no limit.
 * Emails are not limited here: a limit per email would let anyone lock its owner out (mail to
 * an address is held back by `mayMessage` instead).
 */
function registrationRateLimit(settings: LimitSettings): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const registrations = registrationCount(args);
      const client = registrations ? clientAddress(args.contextValue, settings.trustedProxies) : undefined;
      if (!client || client.local) return;
      let count = 0;
      for (let index = 0; index < registrations; index += 1) count = await hit(`address:${addressKey(client.address)}`);
      if (count <= settings.registrationsPerAddress) return;
      const retryAfter = retryAfterSeconds();
      setResultAndStopExecution({
        errors: [
          createGraphQLError(`Too many registrations or manage link requests from this address. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
            extensions: { code: 'RATE_LIMITED', retryAfter, http: { status: 429, headers: { 'retry-after': String(retryAfter) } } },
          }),
        ],
      });
    },
  };
}

/** `source` until `ms` have passed or its consumer leaves, then `onEnd` once. */
function endingAfter<T>(source: AsyncIterable<T>, ms: number, onEnd: () => void): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    const timer = setTimeout(() => stop(), ms);
    const iterator = source[Symbol.asyncIterator]();
    const stopped = stop.then(() => undefined);
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (!next || next.done) break;
        await push(next.value);
      }
    } finally {
      clearTimeout(timer);
      onEnd();
      stop();
      await iterator.return?.();
    }
  });
}

/**
 * Live updates hold a connection (a file) each for as long as they last: at most
 * LIVE_UPDATES_PER_CLIENT per client address and LIVE_UPDATES_MAX in the process, each for
 * LIVE_UPDATE_SECONDS, after which the stream ends and EventSource opens a new one. Beyond,
 * 429 RATE_LIMITED. In-process calls count only towards the whole.
 */
function liveUpdateLimits(settings: LimitSettings): Plugin {
  const openByClient = new Map<string, number>();
  let open = 0;
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const client = clientAddress(args.contextValue, settings.trustedProxies);
      const key = client && addressKey(client.address);
      const mine = key ? (openByClient.get(key) ?? 0) : 0;
      if (open >= settings.liveUpdatesMax || mine >= settings.liveUpdatesPerClient) {
        setResultAndStopExecution({
          errors: [
            createGraphQLError('Too many live-update streams are open, from this address or in all. Close one, or try again later.', {
              extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: { 'retry-after': '60' } } },
            }),
          ],
        });
        return;
      }
      open += 1;
      if (key) openByClient.set(key, mine + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        open -= 1;
        if (!key) return;
        const left = (openByClient.get(key) ?? 1) - 1;
        if (left > 0) openByClient.set(key, left);
        else openByClient.delete(key);
      };
      return {
        onSubscribeResult({ result, setResult }) {
          if (Symbol.asyncIterator in result) setResult(endingAfter(result, settings.liveUpdateSeconds * 1_000, release));
          else release();
        },
        onSubscribeError: release,
      };
    },
  };
}
