import { decodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';

/** A global ID's type and database ID, or a BAD_USER_INPUT error for an ID this API never gave. */
export function decodeNodeID(globalID: string, isNodeType: (typename: string) => boolean): { typename: string; id: string } {
  const decoded = (() => {
    try {
      return decodeGlobalID(globalID);
    } catch {
      return undefined;
    }
  })();
  if (!decoded || !isNodeType(decoded.typename)) {
    throw new GraphQLError(`"${globalID}" is not a valid ID: use an \`id\` returned by this API`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return decoded;
}
