import { createYoga } from 'graphql-yoga';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { createContext, type Context } from './context.js';
import { maskError } from './errors.js';
import { httpCaching } from './http/cache.js';
import { calendarFeeds } from './http/calendar.js';
import { corsPolicy, originPolicy } from './http/cors.js';
import { embed } from './http/embed.js';
import { frabScheduleExport } from './http/frab-schedule.js';
import { graphiqlPage } from './http/graphiql.js';
import { contentLanguageHeaders } from './http/languages.js';
import { abuseLimits, limitSettings, maxRequestBodySize } from './http/limits.js';
import { malformedParameters } from './http/malformed-requests.js';
import { metrics } from './http/metrics.js';
import { operations } from './http/operations.js';
import { logger } from './log.js';
import { registrationsCsv } from './http/registrations-csv.js';
import { trustedDocuments } from './http/trusted-documents.js';
import { schema } from './resolvers/index.js';

/**
 * Parsed documents (and parse errors) by their text, as Yoga keeps them, bounded by the texts'
 * length as well as their number: every distinct text a client sends (a comment apart) is a new
 * entry, and a parsed document, with what execution memoizes on it, holds some 40 times its text.
 * A megabyte of text is hundreds of the largest first-party documents.
 */
function textKeyedCache<T extends {}>(): LRUCache<string, T> {
  return new LRUCache<string, T>({ max: 1_024, maxSize: 1_000_000, sizeCalculation: (_, text) => Math.max(1, text.length), ttl: 3_600_000 });
}

/** The API as a fetch handler: `server.ts` listens with it, tests call `yoga.fetch` directly. */
export const yoga = createYoga<Record<string, unknown>, Context>({
  schema,
  graphqlEndpoint: '/graphql',
  graphiql: limitSettings.introspection && process.env.NODE_ENV !== 'production',
  renderGraphiQL: graphiqlPage,
  landingPage: false,
  logging: logger,
  maskedErrors: { maskError },
  maxRequestBodySize,
  parserAndValidationCache: { documentCache: textKeyedCache<DocumentNode>(), errorCache: textKeyedCache<Error>() },
  context: ({ request }) => createContext(request),
  // HTTP features, each in its own module under src/http/, in the order they must run.
  cors: corsPolicy,
  plugins: [...operations(), malformedParameters(), ...metrics(), originPolicy(), ...abuseLimits(), trustedDocuments(), embed(), contentLanguageHeaders(), ...httpCaching(), registrationsCsv(), calendarFeeds(), frabScheduleExport()],
});
