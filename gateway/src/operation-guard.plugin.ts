import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { GraphQLError, visit } from 'graphql';
import type { DocumentNode } from 'graphql';
import { ERROR_CODES, findForbiddenRootFields } from '@registrar/platform';
import type { GatewayContext } from './gateway-context.js';

/**
 * Refuses, before any planning: a request whose `operationName` names no operation of its
 * document, and an operation with a root field that the caller's roles can never reach (the
 * same permission table every subgraph enforces, so the answer would be a refusal anyway; this
 * way no subgraph is asked). The unknown-operation check exists because Apollo Server leaves
 * that to the executor, and @apollo/gateway's executor throws a plain error for it, which would
 * surface as an internal error instead of the client's mistake.
 */
export function createOperationGuardPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        // Runs after every plugin's didResolveOperation (so the limits, which rank first in
        // DESIGN.md's order, have had their say) and before the gateway plans the query.
        async responseForOperation({ request, document, contextValue }) {
          return refuseForbiddenRootFields(document, request.operationName, contextValue);
        },
        async didResolveOperation({ operation, request, document }) {
          refuseNulCharacters(document, request.variables);
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

function refuseForbiddenRootFields(
  document: DocumentNode,
  operationName: string | undefined | null,
  context: GatewayContext,
): GraphQLResponse | null {
  const forbidden = findForbiddenRootFields(document, operationName ?? undefined, context.viewer);
  if (forbidden.length === 0) return null;
  const fields = forbidden.join(', ');
  const anonymous = context.viewer.kind === 'anonymous';
  const code = anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  const message = anonymous ? `Sign in to use ${fields}.` : `Your account may not use ${fields}.`;
  return {
    http: { status: ERROR_CODES[code].status, headers: new HeaderMap() },
    body: {
      kind: 'single',
      singleResult: { errors: [{ message, extensions: { code, fields: forbidden } }] },
    },
  };
}

// PostgreSQL text cannot hold U+0000, so a NUL in any string would fail deep in a subgraph as an
// internal error. It is never meaningful input: refuse it at the door, naming the problem.
function refuseNulCharacters(document: DocumentNode, variables: unknown): void {
  let found = containsNul(variables);
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  if (found) {
    throw new GraphQLError(
      'Text in the request contains a NUL character (U+0000), which no field accepts. Remove it and send the request again.',
      {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      },
    );
  }
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.values(value).some(containsNul);
  return false;
}
