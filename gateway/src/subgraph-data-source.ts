import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, createError, signIdentity } from '@registrar/platform';
import type { IdentityKeys, Logger } from '@registrar/platform';
import type { GatewayContext } from './gateway-context.js';

/** Options of {@link createSubgraphDataSource}. */
export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  identityKeys: IdentityKeys;
  logger: Logger;
  /** A subgraph call taking longer than this fails the fields it owns. @default 10000 */
  timeoutMs?: number;
}

/**
 * Creates the gateway's client for one subgraph. Every call carries the caller's identity,
 * signed by the gateway and valid for a minute, and the request id. A subgraph that is down or
 * too slow fails only the fields it owns, with SERVICE_UNAVAILABLE, never a hang.
 */
export function createSubgraphDataSource(
  options: SubgraphDataSourceOptions,
): RemoteGraphQLDataSource<GatewayContext> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetcher: Fetcher = (url, init) =>
    fetch(url, {
      ...(init as RequestInit),
      signal: AbortSignal.timeout(timeoutMs),
    }) as unknown as ReturnType<Fetcher>;

  return new RemoteGraphQLDataSource<GatewayContext>({
    url: options.url,
    fetcher,
    async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
      // Introspection-free health probes of the gateway itself carry no request context.
      if (!context?.viewer) return;
      request.http?.headers.set(
        IDENTITY_HEADER,
        await signIdentity(context.viewer, options.identityKeys.privateKey),
      );
      request.http?.headers.set('x-request-id', context.requestId);
    },
    didEncounterError(error, _request, response, context) {
      const status = response?.status;
      options.logger.error(
        {
          subgraph: options.name,
          status,
          requestId: (context as GatewayContext | undefined)?.requestId,
          err: error,
        },
        'subgraph call failed',
      );
      throw createError(
        'SERVICE_UNAVAILABLE',
        `The ${options.name} service is not answering right now, so the data it provides is missing. Please try again shortly.`,
        { service: options.name },
      );
    },
  });
}
