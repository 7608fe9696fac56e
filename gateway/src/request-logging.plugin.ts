import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './gateway-context.js';

/**
 * Logs one line per GraphQL request once its response is ready: fields only (request id,
 * operation name, duration, error codes), never variables or results, which may hold personal data.
 */
export function createRequestLoggingPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const startedAt = performance.now();
      return {
        async willSendResponse({ operationName, errors, response }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = [...(errors ?? []), ...(body?.errors ?? [])].map(
            (e) => e.extensions?.['code'],
          );
          contextValue.logger.info(
            {
              operationName: operationName ?? null,
              durationMs: Math.round(performance.now() - startedAt),
              status: response.http.status ?? 200,
              ...(codes.length ? { errorCodes: [...new Set(codes)] } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
