import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { createErrorFormatter, mountHealthRoutes } from '@registrar/platform';
import type { IdentityKeys, KeyValueStore, Logger, ReadinessCheck } from '@registrar/platform';
import type { AccountDirectory } from './auth/account-directory.js';
import { createAuthRouter } from './auth/auth-routes.js';
import type { KeyRing } from './auth/key-ring.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createSessionStore } from './auth/session-store.js';
import type { SessionStore, SessionStoreOptions } from './auth/session-store.js';
import type { GatewayContext } from './gateway-context.js';
import { createOperationGuardPlugin } from './operation-guard.plugin.js';
import { createGatewayLimits } from './limits/index.js';
import type { LimitsOverrides } from './limits/index.js';
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
  /** Access-token signing keys: the current one, and retired ones still verifying. */
  keyRing: KeyRing;
  /** The sign-in accounts (the gateway's own database). */
  accounts: AccountDirectory;
  /** Origins of the web client, allowed to use cookie sessions. */
  allowedOrigins: readonly string[];
  /** Shared state: sessions now, rate limits and persisted queries later. */
  store: KeyValueStore;
  host: string;
  /** The port; 0 picks a free one. */
  port: number;
  logger: Logger;
  /**
   * Makes a fresh access-token key current this often; the previous one keeps verifying for the
   * overlap window. Only for a single gateway: instances that share keys rotate them through
   * their shared key source instead. @default no rotation
   */
  keyRotationHours?: number;
  /** Session lifetimes and the refresh-token reuse grace. */
  sessionOptions?: SessionStoreOptions;
  /** Lets every caller introspect and see field suggestions, not only staff. @default false */
  introspection?: boolean;
  /**
   * The Redis client behind `store`: rate limits are counted there, shared by every gateway
   * instance. Without it they are counted in this process (the single-node embedded default).
   */
  redis?: Redis;
  /** Changes to the default operation and rate limits (gateway/src/limits/limits.config.ts). */
  limits?: LimitsOverrides;
}

/** A running gateway. */
export interface RunningGateway {
  /** The GraphQL endpoint, such as http://127.0.0.1:4000/graphql. */
  url: string;
  sessions: SessionStore;
  keyRing: KeyRing;
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
  const sessions = createSessionStore(options.store, options.sessionOptions);
  const authenticate = createAuthenticator(() => options.keyRing.verificationKeys(), sessions, {
    allowedOrigins: options.allowedOrigins,
    apiKeys: options.accounts.apiKeys,
  });
  const subgraphUrls = new Map<string, string>();
  const limits = createGatewayLimits({
    ...(options.redis ? { redis: options.redis } : {}),
    ...(options.limits ? { config: options.limits } : {}),
    openSchema: options.introspection ?? false,
    logger,
  });

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
    // The limits plugin decides per role who may introspect (staff and admins).
    introspection: true,
    allowBatchedHttpRequests: true,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      createRequestLoggingPlugin(),
      createOperationGuardPlugin(),
      limits.plugin,
    ],
  });
  await apollo.start();

  mountHealthRoutes(app, readinessChecks(subgraphUrls, options.store));
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(options.keyRing.jwks());
  });
  app.use(
    '/auth',
    createAuthRouter({
      accounts: options.accounts,
      sessions,
      keyRing: options.keyRing,
      authenticate,
      logger,
      allowedOrigins: options.allowedOrigins,
      clientIp: limits.clientIpOf,
      throttle: {
        check: limits.login.checkLogin,
        recordFailure: limits.login.recordLoginFailure,
        reset: limits.login.resetLoginFailures,
      },
    }),
  );
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    limits.batchLimit,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = randomUUID();
        res.setHeader('x-request-id', requestId);
        const viewer = await authenticate(req.headers);
        const clientIp = limits.clientIpOf(req);
        return { viewer, requestId, clientIp, logger: logger.child({ requestId }) };
      },
    }),
  );

  app.use(answerBadRequest(logger));

  const rotation = options.keyRotationHours
    ? setInterval(() => {
        void options.keyRing.rotate().then(
          (key) => logger.info({ kid: key.kid }, 'access-token signing key rotated'),
          (error: unknown) => logger.error({ err: error }, 'access-token key rotation failed'),
        );
      }, options.keyRotationHours * 3_600_000)
    : undefined;
  rotation?.unref();

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    sessions,
    keyRing: options.keyRing,
    async stop() {
      clearInterval(rotation);
      await apollo.stop();
      logger.info('gateway stopped');
    },
  };
}

// Body parsing fails before GraphQL runs (malformed JSON, a body over the limit): answer with the
// same error shape as GraphQL, the client's status code, and never a stack trace.
function answerBadRequest(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const status = (error as { status?: number }).status;
    if (res.headersSent) {
      next(error);
      return;
    }
    if (typeof status !== 'number' || status < 400 || status >= 500) {
      logger.error({ err: error }, 'unexpected error outside GraphQL');
      res.status(500).json({
        errors: [
          {
            message: 'Something went wrong on our side. It has been logged; please try again.',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
      return;
    }
    const message =
      status === 413
        ? 'The request body is larger than the gateway accepts. Send a smaller query or fewer variables.'
        : 'The request body is not valid JSON. Send a JSON object with "query" and optional "variables".';
    res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
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
