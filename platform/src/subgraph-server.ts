import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { CryptoKey, KeyObject } from 'jose';
import { createErrorFormatter } from './error-boundary.js';
import { mountHealthRoutes } from './health.js';
import type { ReadinessCheck } from './health.js';
import { IDENTITY_HEADER, verifyIdentity } from './identity.js';
import type { Viewer } from './identity.js';
import type { Logger } from './logger.js';
import { applyPermissions } from './rbac/apply-permissions.js';

/** What every subgraph resolver receives, before the subgraph adds its own loaders. */
export interface BaseContext {
  viewer: Viewer;
  requestId: string;
  logger: Logger;
}

/** Options of {@link startSubgraphServer}. */
export interface SubgraphServerOptions<TContext extends BaseContext> {
  /** The subgraph's name, as in the supergraph (`student`, `module`, ...). */
  name: string;
  schema: GraphQLSchema;
  host: string;
  /** The port; 0 picks a free one. */
  port: number;
  logger: Logger;
  /** The gateway's public key: every GraphQL request must carry an identity it signed. */
  identityPublicKey: CryptoKey | KeyObject;
  readiness: readonly ReadinessCheck[];
  /** Adds the subgraph's per-request state (data loaders) to the base context. */
  createContext(base: BaseContext): TContext;
  /**
   * Mounts routes beside `/graphql` that outside parties call directly (a payment provider's
   * webhooks). They do not get the gateway identity check: each must authenticate its caller
   * itself (a webhook verifies its signature over the raw body).
   */
  mountRoutes?(app: express.Express): void;
}

/** A running subgraph. */
export interface SubgraphServer {
  url: string;
  /** Drains in-flight requests, then stops. */
  stop(): Promise<void>;
}

/**
 * Serves a subgraph schema at `/graphql` with `/healthz` and `/readyz` beside it. Requests
 * without a valid gateway-signed identity are refused before any resolver runs, `_entities`
 * and `_service` included, so a caller inside the network cannot bypass the gateway. Every
 * field is guarded by the supergraph's permissions (`applyPermissions`), denied by default.
 */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphServer> {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  httpServer.keepAliveTimeout = 65_000;

  const apollo = new ApolloServer<TContext>({
    // The supergraph's permissions hold here too, so a caller that reaches a subgraph with a
    // valid identity but without the gateway's checks is still refused.
    schema: applyPermissions(options.schema),
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: false,
    // Inline traces serve Apollo's hosted studio, which we do not use; they cost every request.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await apollo.start();

  mountHealthRoutes(app, options.readiness);
  options.mountRoutes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    requireIdentity(options),
    expressMiddleware(apollo, {
      context: async ({ res }) => res.locals['context'] as TContext,
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, 'subgraph listening');

  return {
    url,
    async stop() {
      await apollo.stop();
      logger.info('subgraph stopped');
    },
  };
}

function requireIdentity<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): express.RequestHandler {
  return async (req, res, next) => {
    const requestId = req.header('x-request-id') ?? randomUUID();
    const token = req.header(IDENTITY_HEADER);
    let viewer: Viewer;
    try {
      if (!token) throw new Error('missing identity');
      viewer = await verifyIdentity(token, options.identityPublicKey);
    } catch {
      options.logger.warn({ requestId }, 'request without a valid gateway identity refused');
      res.status(401).json({
        errors: [
          {
            message: 'This service accepts requests only through the Registrar gateway.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
      return;
    }
    const requestLogger = options.logger.child({ requestId });
    res.locals['context'] = options.createContext({ viewer, requestId, logger: requestLogger });
    next();
  };
}
