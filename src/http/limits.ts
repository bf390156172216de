import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { getArgumentValues, getOperationAST, Kind, NoSchemaIntrospectionCustomRule, type ExecutionArgs, type FragmentDefinitionNode, type SelectionNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { logger } from './operations.js';

export interface LimitSettings {
  /** Introspection (`__schema`, `__type`) allowed; field suggestions are hidden whenever it is not. */
  introspection: boolean;
  production: boolean;
  queryTimeoutMs: number;
  registrationsPerAddress: number;
  registrationsPerEmail: number;
  /** How many proxies of ours stand in front and append to X-Forwarded-For (TRUST_PROXY). */
  trustedProxies: number;
  /** Counters in Redis, shared by every API process; in this process's memory when unset. */
  redisUrl: string | undefined;
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
  registrationsPerEmail: Number(process.env.REGISTRATIONS_PER_EMAIL ?? 5),
  trustedProxies: trustedProxies(process.env.TRUST_PROXY),
  redisUrl: process.env.REDIS_URL,
};

/** Largest request body (createYoga's `maxRequestBodySize`): the seed file is 13 kB, a query a few. */
export const maxRequestBodySize = Number(process.env.MAX_REQUEST_BYTES ?? 100_000);

/**
 * Limits on what one request may ask of the API, with room above the largest legitimate queries:
 * EventAgenda in src/client/event.graphql, the full agenda a partner site needs, at depth 8
 * (fragments not counted) and cost about 57 000 (its three `first: 100` pages multiply); and a
 * `node` query selecting every type's fields (tests/privacy.test.ts), 2 500 tokens and 68
 * aliases, as fields of the same name under different types must be aliased.
 */
export function abuseLimits(overrides: Partial<LimitSettings> = {}): Plugin[] {
  const settings = { ...limitSettings, ...overrides };
  return [
    csrfPrevention(),
    EnvelopArmorPlugin({
      // Fragments don't deepen a query; a fragment named `__schema` is still counted (armor ≥ 3.2).
      maxDepth: { n: 10, flattenFragments: true },
      // A page of pages (100 × 100 rows) costs well over this.
      costLimit: { maxCost: 100_000, flattenFragments: true },
      // Aliases multiply work only within the cost limit, which counts every aliased field.
      maxAliases: { n: 100 },
      maxTokens: { n: 4_000 },
      maxDirectives: { n: 20 },
      // Suggestions would spell out a schema that introspection hides.
      blockFieldSuggestion: { enabled: settings.production || !settings.introspection },
    }),
    ...(settings.introspection ? [] : [{ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) } satisfies Plugin]),
    queryTimeout(settings.queryTimeoutMs),
    registrationRateLimit(settings),
  ];
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

const windowMs = 15 * 60_000;

/** Fixed-window counters: how many hits `key` has had in the current window, this one included. */
interface Counters {
  hit(key: string): Promise<number>;
}

function memoryCounters(): Counters {
  let window = -1;
  const counts = new Map<string, number>();
  return {
    async hit(key) {
      const current = Math.floor(Date.now() / windowMs);
      if (current !== window) {
        // Counts live for one window: a new window starts from nothing.
        counts.clear();
        window = current;
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count;
    },
  };
}

function redisCounters(url: string): Counters {
  // A limiter that can't count lets registrations through rather than holding them up.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  redis.on('error', (error) => logger.warn('rate limit counters unavailable', error));
  return {
    async hit(key) {
      const windowKey = `event-api:rate:${key}:${Math.floor(Date.now() / windowMs)}`;
      const replies = await redis.multi().incr(windowKey).pexpire(windowKey, windowMs).exec();
      return Number(replies?.[0]?.[1] ?? 0);
    },
  };
}

type NodeServerContext = { request: Request; req?: { socket?: { remoteAddress?: string } } };

/**
 * The caller's address: the socket's, or with TRUST_PROXY the one our nearest proxy saw (the
 * right-most X-Forwarded-For entries are the only ones the client didn't write). Undefined for
 * in-process calls (`yoga.fetch` from scripts and tests), which come from no network.
 */
function clientAddress({ request, req }: NodeServerContext, proxies: number): string | undefined {
  const socket = req?.socket?.remoteAddress;
  if (!socket) return undefined;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const chain = [...forwarded, socket];
  return (chain[Math.max(0, chain.length - 1 - proxies)] ?? socket).replace(/^::ffff:(?=\d+\.)/, '');
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

/** The `registerForEvent` fields of a mutation, aliases and fragments included, with their emails. */
function registrationEmails(args: ExecutionArgs): (string | undefined)[] {
  const operation = getOperationAST(args.document, args.operationName);
  const field = args.schema.getMutationType()?.getFields().registerForEvent;
  if (operation?.operation !== 'mutation' || !field) return [];
  const fragments = new Map(
    args.document.definitions.filter((node): node is FragmentDefinitionNode => node.kind === Kind.FRAGMENT_DEFINITION).map((node) => [node.name.value, node]),
  );
  const emails: (string | undefined)[] = [];
  const visit = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== field.name) continue;
        let email: unknown;
        try {
          email = (getArgumentValues(field, selection, args.variableValues ?? {}) as { input?: { email?: unknown } }).input?.email;
        } catch {
          // Bad variables: execution answers them.
        }
        emails.push(typeof email === 'string' ? email.trim().toLowerCase() : undefined);
      } else {
        const set = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
        if (set) visit(set.selections);
      }
    }
  };
  visit(operation.selectionSet.selections);
  return emails;
}

/**
 * `registerForEvent` at most REGISTRATIONS_PER_ADDRESS times per client address and
 * REGISTRATIONS_PER_EMAIL times per email in 15 minutes, counted before anything runs; beyond,
 * the whole request answers 429 with Retry-After. This machine's own address (scripts, the
 * benchmark, a proxy when TRUST_PROXY is unset) has no address limit, only the email one.
 */
function registrationRateLimit(settings: LimitSettings): Plugin {
  const counters = settings.redisUrl ? redisCounters(settings.redisUrl) : memoryCounters();
  const hit = (key: string) =>
    counters.hit(key).catch((error: unknown) => {
      logger.warn('rate limit not applied', error);
      return 0;
    });
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const emails = registrationEmails(args);
      const address = emails.length ? clientAddress(args.contextValue, settings.trustedProxies) : undefined;
      if (!address) return;
      const limitAddress = !/^(127\.|::1$)/.test(address);
      const over = await Promise.all(
        emails.flatMap((email) => [
          limitAddress && hit(`address:${addressKey(address)}`).then((count) => count > settings.registrationsPerAddress),
          email !== undefined && hit(`email:${createHash('sha256').update(email).digest('base64url')}`).then((count) => count > settings.registrationsPerEmail),
        ]),
      );
      if (!over.includes(true)) return;
      const retryAfter = Math.ceil((windowMs - (Date.now() % windowMs)) / 1000);
      setResultAndStopExecution({
        errors: [
          createGraphQLError(`Too many registrations from this address or for this email. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
            extensions: { code: 'RATE_LIMITED', retryAfter, http: { status: 429, headers: { 'retry-after': String(retryAfter) } } },
          }),
        ],
      });
    },
  };
}
