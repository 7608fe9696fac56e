import 'reflect-metadata';
import { z } from 'zod';
import {
  envBooleanSchema,
  logLevelSchema,
  parseConfig,
  portSchema,
  postgresUrlSchema,
} from './config.js';
import { importIdentityPublicKey } from './identity.js';
import { createLogger } from './logger.js';
import { runUntilSignalled } from './process-lifecycle.js';
import type { Stoppable } from './process-lifecycle.js';
import { startSubgraphService } from './subgraph-service.js';
import type { SubgraphDefinition, SubgraphServiceOptions } from './subgraph-service.js';
import type { BaseContext } from './subgraph-server.js';

/**
 * The configuration schema of one subgraph process: `DATABASE_URL_<NAME>`, `<NAME>_PORT` or
 * `PORT` (default given), `HOST` (default 127.0.0.1), `LOG_LEVEL`, `GATEWAY_IDENTITY_PUBLIC_KEY`
 * (SPKI PEM) and `SEED_DEMO_DATA` (default false).
 */
export function subgraphConfigSchema(name: string, defaultPort: number) {
  const upper = name.toUpperCase();
  return z
    .object({
      [`DATABASE_URL_${upper}`]: postgresUrlSchema,
      [`${upper}_PORT`]: portSchema.optional(),
      // One service per container: the conventional PORT works too.
      PORT: portSchema.optional(),
      HOST: z.string().default('127.0.0.1'),
      LOG_LEVEL: logLevelSchema,
      GATEWAY_IDENTITY_PUBLIC_KEY: z.string().min(1, 'must hold the gateway public key (SPKI PEM)'),
      SEED_DEMO_DATA: envBooleanSchema.default(false),
    })
    .transform((env) => ({
      databaseUrl: env[`DATABASE_URL_${upper}`] as string,
      port: (env[`${upper}_PORT`] ?? env['PORT'] ?? defaultPort) as number,
      host: env['HOST'] as string,
      identityPublicKeyPem: env['GATEWAY_IDENTITY_PUBLIC_KEY'] as string,
      seedDemoData: env['SEED_DEMO_DATA'] as boolean,
    }));
}

/**
 * Runs one subgraph as its own process (one service per container), configured from the
 * environment, until SIGINT or SIGTERM. `start` defaults to serving the definition alone;
 * services with background work (consumers, relays) pass their own.
 */
export function runSubgraphProcess<TContext extends BaseContext>(
  definition: SubgraphDefinition<TContext>,
  defaultPort: number,
  start: (options: SubgraphServiceOptions) => Promise<Stoppable> = (options) =>
    startSubgraphService(definition, options),
): void {
  const logger = createLogger({
    service: definition.name,
    level: process.env['LOG_LEVEL'] ?? 'info',
  });
  void runUntilSignalled(logger, async () => {
    const config = parseConfig(subgraphConfigSchema(definition.name, defaultPort));
    return start({
      ...config,
      logger,
      identityPublicKey: await importIdentityPublicKey(config.identityPublicKeyPem),
    });
  });
}
