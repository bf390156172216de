import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONObjectResolver, LocalDateResolver, URLResolver } from 'graphql-scalars';
import type { Context } from '../context.js';
import { prisma } from '../db/client.js';
import { ForbiddenError } from '../errors.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { decodeNodeID } from './global-id.js';
import { localeScalar, timeZoneScalar } from './scalars.js';
import TextLimitsPlugin from './plugins/text-limits.js';

export type { Context };

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { writeEvents: boolean; readRegistrations: boolean; manageTokens: boolean; reviewRegistrations: boolean; readAudit: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    LocalDate: { Input: string; Output: string };
    Locale: { Input: string; Output: string };
    TimeZone: { Input: string; Output: string };
    URL: { Input: URL; Output: URL | string };
  };
}>({
  // Errors before scope-auth and text limits, so a refused mutation answers ForbiddenError or
  // ValidationError in its result union.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, TextLimitsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    authScopes: async (context) => {
      const scopes = (await context.admin())?.scopes ?? [];
      return {
        writeEvents: scopes.includes('WRITE_EVENTS'),
        readRegistrations: scopes.includes('READ_REGISTRATIONS'),
        manageTokens: scopes.includes('MANAGE_TOKENS'),
        reviewRegistrations: scopes.includes('REVIEW_REGISTRATIONS'),
        readAudit: scopes.includes('READ_AUDIT'),
      };
    },
    unauthorizedError: () => new ForbiddenError('This needs an admin token with the right scope (Authorization: Bearer <token>).'),
  },
  defaultFieldNullability: false,
  prisma: {
    client: prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    // A resolver that forgets to spread `query` would cost one SQL statement per row.
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
    maxConnectionSize: 100,
    defaultConnectionSize: 20,
  },
  relay: {
    cursorType: 'String',
    clientMutationId: 'omit',
    // Every node type is a prismaNode with `nullable: true`: an ID whose record is gone reads null.
    decodeGlobalID: (globalID) => decodeNodeID(globalID, isNodeType),
    // src/resolvers/node.ts answers `nodes` an ID at a time.
    nodesQueryOptions: false,
  },
  errors: {
    // Each mutation names the refusals it can raise (src/resolvers/refusals.ts): none by default.
    defaultTypes: [],
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${fieldName[0]!.toUpperCase()}${fieldName.slice(1)}Result` },
  },
});

export function isNodeType(typename: string): boolean {
  return builder.configStore.hasImplementation(typename);
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('LocalDate', LocalDateResolver);
builder.addScalarType('Locale', localeScalar);
builder.addScalarType('TimeZone', timeZoneScalar);
builder.addScalarType('URL', URLResolver);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
