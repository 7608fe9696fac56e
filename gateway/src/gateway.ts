import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createErrorFormatter, mountHealthRoutes } from '@registrar/platform';
import type { IdentityKeys, KeyValueStore, Logger, ReadinessCheck } from '@registrar/platform';
import type { SigningKey } from './auth/access-tokens.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createSessionStore } from './auth/session-store.js';
import type { SessionStore } from './auth/session-store.js';
import type { GatewayContext } from './gateway-context.js';
import { createRequestLoggingPlugin } from './request-logging.plugin.js';
import { createSubgraphDataSource } from './subgraph-data-source.js';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** The composed supergraph SDL (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** Where each subgraph listens, by its name in the supergraph; others use the SDL's URL. */
  subgraphUrls: Readonly<Record<string, string>>;
  /** Signs the identity forwarded to the subgraphs. */
  identityKeys: IdentityKeys;
  /** Access-token signing keys, current first; older ones still verify during rotation. */
  signingKeys: SigningKey[];
  /** Shared state: sessions now, rate limits and persisted queries later. */
  store: KeyValueStore;
  host: string;
  /** The port; 0 picks a free one. */
  port: number;
  logger: Logger;
  /** Answers introspection queries. @default false */
  introspection?: boolean;
}

/** A running gateway. */
export interface RunningGateway {
  /** The GraphQL endpoint, such as http://127.0.0.1:4000/graphql. */
  url: string;
  sessions: SessionStore;
  stop(): Promise<void>;
}

/**
 * Starts the federated gateway on the static supergraph: GraphQL at `/graphql`, `/healthz`,
 * `/readyz` (every subgraph and the shared store answer) and the JWKS of the access-token keys.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const sessions = createSessionStore(options.store);
  const authenticate = createAuthenticator(() => options.signingKeys, sessions);
  const subgraphUrls = new Map<string, string>();

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`No URL is configured for the ${name} subgraph.`);
      subgraphUrls.set(name, target);
      return createSubgraphDataSource({
        name,
        url: target,
        identityKeys: options.identityKeys,
        logger,
      });
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: options.introspection ?? false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), createRequestLoggingPlugin()],
  });
  await apollo.start();

  mountHealthRoutes(app, readinessChecks(subgraphUrls, options.store));
  app.get('/.well-known/jwks.json', (_req, res) => {
    res
      .set('cache-control', 'public, max-age=300')
      .json({ keys: options.signingKeys.map((key) => key.publicJwk) });
  });
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = randomUUID();
        res.setHeader('x-request-id', requestId);
        const viewer = await authenticate(req.headers);
        return { viewer, requestId, logger: logger.child({ requestId }) };
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    sessions,
    async stop() {
      await apollo.stop();
      logger.info('gateway stopped');
    },
  };
}

// Called after the gateway has loaded the supergraph, when every subgraph's URL is known.
function readinessChecks(
  subgraphUrls: ReadonlyMap<string, string>,
  store: KeyValueStore,
): ReadinessCheck[] {
  const subgraphs = [...subgraphUrls].map(([name, url]) => ({
    name: `subgraph:${name}`,
    async check() {
      const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(1_500) });
      if (!response.ok) throw new Error(`${name} is not ready`);
    },
  }));
  return [...subgraphs, { name: 'store', check: () => store.ping() }];
}
