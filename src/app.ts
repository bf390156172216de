import { createYoga } from 'graphql-yoga';
import type { Context } from './schema/builder.js';
import { schema } from './schema/index.js';

/** The API as a fetch handler: `server.ts` listens with it, tests call `yoga.fetch` directly. */
export const yoga = createYoga<Record<string, unknown>, Context>({
  schema,
  graphqlEndpoint: '/graphql',
  graphiql: process.env.NODE_ENV !== 'production',
  landingPage: false,
  context: ({ request }) => ({ request }),
});
