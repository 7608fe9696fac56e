import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './gateway-context.js';

/**
 * Refuses, before any planning, a request whose `operationName` names no operation of its
 * document. Apollo Server leaves that to the executor, and @apollo/gateway's executor throws a
 * plain error for it, which would surface as an internal error instead of the client's mistake.
 */
export function createOperationGuardPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const named = request.operationName
            ? `the operation "${request.operationName}"`
            : 'no operation';
          throw new GraphQLError(
            `The request names ${named}, but the document does not define it. Send the name of one of the document's operations, or one operation without a name.`,
            { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
