import { createYoga } from 'graphql-yoga';
import { createContext, type Context } from './context.js';
import { httpCaching } from './http/cache.js';
import { corsPolicy, originPolicy } from './http/cors.js';
import { registrationsCsv } from './http/registrations-csv.js';
import { schema } from './schema/index.js';

/** The API as a fetch handler: `server.ts` listens with it, tests call `yoga.fetch` directly. */
export const yoga = createYoga<Record<string, unknown>, Context>({
  schema,
  graphqlEndpoint: '/graphql',
  graphiql: process.env.NODE_ENV !== 'production',
  landingPage: false,
  context: ({ request }) => createContext(request),
  // HTTP features, each in its own module under src/http/, in the order they must run.
  cors: corsPolicy,
  plugins: [originPolicy(), ...httpCaching(), registrationsCsv()],
});
