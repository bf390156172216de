import { resolveNodes } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { builder, isNodeType } from '../schema/builder.js';
import { decodeNodeID } from '../schema/global-id.js';

/**
 * `nodes(ids:)` answers each ID on its own: a bad one is null at its index with an error whose
 * path points at it, and the others are answered, as a Relay or Apollo client refetching a list
 * expects. (The relay plugin's own `nodes` parses the list as a whole and fails it at its first
 * bad ID.)
 */
builder.queryField('nodes', (t) =>
  t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, { ids }, context, info) => {
      const decoded = ids.map((globalID) => {
        try {
          return decodeNodeID(String(globalID), isNodeType);
        } catch (error) {
          return error as GraphQLError;
        }
      });
      const found = await resolveNodes(builder, context, info, decoded.map((id) => (id instanceof GraphQLError ? null : id)));
      // graphql-js answers an Error in a list as null at its index, with the error at that path.
      return found.map((node, index) => (decoded[index] instanceof GraphQLError ? decoded[index] : node)) as never;
    },
  }),
);
