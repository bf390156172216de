import { createYoga } from 'graphql-yoga';
import { createContext, type Context } from './context.js';
import { auditCsv } from './http/audit-csv.js';
import { maskError } from './errors.js';
import { httpCaching } from './http/cache.js';
import { calendarFeeds } from './http/calendar.js';
import { corsPolicy, originPolicy } from './http/cors.js';
import { embed } from './http/embed.js';
import { frabScheduleExport } from './http/frab-schedule.js';
import { graphiqlAssetFiles, graphiqlPage } from './http/graphiql.js';
import { contentLanguageHeaders } from './http/languages.js';
import { abuseLimits, boundedParserCache, limitSettings, maxRequestBodySize } from './http/limits.js';
import { malformedParameters } from './http/malformed-requests.js';
import { metrics } from './http/metrics.js';
import { operations } from './http/operations.js';
import { logger } from './log.js';
import { registrationsCsv } from './http/registrations-csv.js';
import { trustedDocuments } from './http/trusted-documents.js';
import { schema } from './resolvers/index.js';

const graphiql = limitSettings.introspection && process.env.NODE_ENV !== 'production';

/** The API as a fetch handler: `server.ts` listens with it, tests call `yoga.fetch` directly. */
export const yoga = createYoga<Record<string, unknown>, Context>({
  schema,
  graphqlEndpoint: '/graphql',
  graphiql,
  renderGraphiQL: graphiqlPage,
  landingPage: false,
  logging: logger,
  maskedErrors: { maskError },
  maxRequestBodySize,
  parserAndValidationCache: boundedParserCache(),
  context: ({ request }) => createContext(request),
  // HTTP features, each in its own module under src/http/, in the order they must run: malformed
  // parameters are refused before any other plugin reads them.
  cors: corsPolicy,
  plugins: [malformedParameters(), ...operations(), ...metrics(), originPolicy(), ...abuseLimits(), trustedDocuments(), embed(), graphiqlAssetFiles(graphiql), contentLanguageHeaders(), ...httpCaching(), registrationsCsv(), auditCsv(), calendarFeeds(), frabScheduleExport()],
});
