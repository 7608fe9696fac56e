import type { ApolloServerPlugin } from '@apollo/server';
import { invariant } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import { hideFieldSuggestions } from './field-suggestions.js';
import { limitRoleOf } from './limits.config.js';
import type { LimitsConfig } from './limits.config.js';
import { checkOperationLimits } from './operation-limits.js';
import { measureOperation } from './operation-measure.js';
import type { OperationRateLimiter } from './operation-rate-limits.js';

/** What the limits need from the request context: who calls, and from where. */
export interface LimitsContext {
  viewer: Viewer;
  /** The client's address, from {@link GatewayLimits.clientIpOf}. */
  clientIp: string;
}

/**
 * Creates the Apollo Server plugin that enforces the limits on each operation (each operation
 * of a batch on its own), in `didResolveOperation`: after parsing and validation, before query
 * planning, so a refused operation never reaches a subgraph. In order: the general rate limit
 * (429), introspection (403), the role's operation limits (400), then the mutation rate limits
 * (429, or 503 when their store is down). Errors lose their "Did you mean …" hints for roles
 * without `fieldSuggestions`.
 */
export function createLimitsPlugin(options: {
  config: LimitsConfig;
  rateLimiter: OperationRateLimiter;
}): ApolloServerPlugin<LimitsContext> {
  const { config, rateLimiter } = options;
  return {
    async requestDidStart({ contextValue }) {
      const { viewer, clientIp } = contextValue;
      invariant(typeof clientIp === 'string', 'the GraphQL context must carry clientIp');
      const limits = config.roles[limitRoleOf(viewer)];
      // Counting starts before parsing, so that floods of malformed queries count too. The
      // verdict waits for didResolveOperation: the first hook whose throw Apollo Server answers.
      const admission = rateLimiter.admitOperation(viewer, clientIp);

      return {
        // Runs before errors are formatted, for validation errors and for variable errors alike.
        async didEncounterErrors({ errors }) {
          if (!limits.fieldSuggestions) hideFieldSuggestions(errors);
        },
        async didResolveOperation({ schema, document, operation, source, request }) {
          const refusal = await admission;
          if (refusal) throw refusal;
          // No operation to run: execution answers that, and nothing reaches a subgraph.
          if (!operation) return;

          const measured = measureOperation({
            schema,
            document,
            operation,
            source,
            variables: request.variables,
            defaultListSize: config.defaultListSize,
            listSizeHints: config.listSizeHints,
          });
          const overLimit = checkOperationLimits(measured, limits);
          if (overLimit) throw overLimit;

          const mutationRefusal = await rateLimiter.admitMutations(document, operation, clientIp);
          if (mutationRefusal) throw mutationRefusal;
        },
      };
    },
  };
}
