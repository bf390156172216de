import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import { createContext, type Context } from './context.js';
import { DomainError } from './errors.js';
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
  plugins: [registrationsCsv()],
  maskedErrors: {
    // Domain errors thrown outside a mutation's result union keep their message and code;
    // anything else is masked.
    maskError: (error, message, isDev) => {
      const original = error instanceof GraphQLError ? error.originalError : undefined;
      if (original instanceof DomainError) {
        return new GraphQLError(original.message, { nodes: (error as GraphQLError).nodes, path: (error as GraphQLError).path, extensions: { code: original.code } });
      }
      return maskError(error, message, isDev);
    },
  },
});
