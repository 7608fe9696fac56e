import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { ParseOptions } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from '@registrar/platform';
import { createBatchLimitMiddleware } from './batch-limit.middleware.js';
import { createClientIpResolver } from './client-ip.js';
import type { ClientIpResolver } from './client-ip.js';
import { LIMIT_ROLES, maxTokensOfAnyRole, resolveLimitsConfig } from './limits.config.js';
import type { LimitsConfig, LimitsOverrides } from './limits.config.js';
import { createLimitsPlugin } from './limits.plugin.js';
import type { LimitsContext } from './limits.plugin.js';
import { createLoginLimiter } from './login-limiter.js';
import type { LoginLimiter } from './login-limiter.js';
import { createOperationRateLimiter } from './operation-rate-limits.js';
import { createRateLimitStore } from './rate-limit-store.js';

/** Options of {@link createGatewayLimits}. */
export interface GatewayLimitsOptions {
  /**
   * The Redis client that every gateway instance shares; the limits do not close it. Without
   * one, counters live in this process: right for the single-node embedded default only.
   */
  redis?: Redis;
  logger: Logger;
  /** Changes to {@link DEFAULT_LIMITS}. */
  config?: LimitsOverrides;
  /**
   * Lets every role introspect and see field suggestions (development; GATEWAY_INTROSPECTION).
   * @default false
   */
  openSchema?: boolean;
}

/** The gateway's limits, ready to be wired into Express and Apollo Server. */
export interface GatewayLimits {
  config: LimitsConfig;
  /** Apollo Server plugin: the operation limits and the operation rate limits. */
  plugin: ApolloServerPlugin<LimitsContext>;
  /** Express middleware for `/graphql`, after `express.json()`: refuses oversized batches. */
  batchLimit: RequestHandler;
  /** The client address of a request, honouring `trustProxy`. */
  clientIpOf: ClientIpResolver;
  /** For the login route: failed sign-ins per account and per network. */
  login: LoginLimiter;
  /**
   * For Apollo Server's `parseOptions`: the parser gives up past the largest token limit of any
   * role, before the caller's own (smaller) limit is checked after parsing.
   */
  parseOptions: ParseOptions;
}

/**
 * Creates the gateway's limits from the defaults and `options.config`. Throws when a setting is
 * not valid (see {@link resolveLimitsConfig}).
 */
export function createGatewayLimits(options: GatewayLimitsOptions): GatewayLimits {
  const config = resolveLimitsConfig(
    options.openSchema ? withOpenSchema(options.config ?? {}) : options.config,
  );
  const store = createRateLimitStore({
    redis: options.redis,
    keyPrefix: config.keyPrefix,
    logger: options.logger,
  });
  options.logger.info(
    { store: store.shared ? 'redis' : 'memory' },
    store.shared ? 'rate limits shared in Redis' : 'rate limits kept in memory (single node)',
  );

  const rateLimiter = createOperationRateLimiter({ store, limits: config.rateLimits });
  return {
    config,
    plugin: createLimitsPlugin({ config, rateLimiter }),
    batchLimit: createBatchLimitMiddleware(config.maxBatchSize),
    clientIpOf: createClientIpResolver(config.trustProxy),
    login: createLoginLimiter({ store, limits: config.rateLimits, logger: options.logger }),
    parseOptions: { maxTokens: maxTokensOfAnyRole(config) },
  };
}

function withOpenSchema(overrides: LimitsOverrides): LimitsOverrides {
  const roles = Object.fromEntries(
    LIMIT_ROLES.map((role) => [
      role,
      { ...overrides.roles?.[role], introspection: true, fieldSuggestions: true },
    ]),
  );
  return { ...overrides, roles };
}
