import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { DateTimeResolver, LocalDateResolver, LocaleResolver, TimeZoneResolver, URLResolver } from 'graphql-scalars';
import { prisma } from '../db/client.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';

export interface Context {
  request: Request;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    LocalDate: { Input: string; Output: string };
    Locale: { Input: string; Output: string };
    TimeZone: { Input: string; Output: string };
    URL: { Input: URL; Output: URL | string };
  };
}>({
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin],
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
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        throw new GraphQLError(`"${globalID}" is not a valid ID: use an \`id\` returned by this API`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
    },
  },
  errors: { defaultTypes: [] },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('LocalDate', LocalDateResolver);
builder.addScalarType('Locale', LocaleResolver);
builder.addScalarType('TimeZone', TimeZoneResolver);
builder.addScalarType('URL', URLResolver);

builder.queryType({});
