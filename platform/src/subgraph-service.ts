import type { GraphQLSchema } from 'graphql';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { createDataSource, openDatabase } from './database.js';
import type { DataSourceOptions, QueryCounter } from './database.js';
import type { IdentityKeys } from './identity.js';
import type { Logger } from './logger.js';
import { startSubgraphServer } from './subgraph-server.js';
import type { BaseContext, SubgraphServer } from './subgraph-server.js';

/** What every subgraph service is started with, whoever starts it. */
export interface SubgraphServiceOptions {
  databaseUrl: string;
  host: string;
  /** The port; 0 picks a free one. */
  port: number;
  logger: Logger;
  /** The gateway's public key, to verify the identity on every request. */
  identityPublicKey: IdentityKeys['publicKey'];
  /** Seed the demo data (idempotently) after migrating. */
  seedDemoData: boolean;
  /** Counts SQL statements, for tests that prove batching. */
  queryCounter?: QueryCounter;
}

/** A running subgraph service with its own database. */
export interface SubgraphService {
  url: string;
  dataSource: DataSource;
  stop(): Promise<void>;
}

/** What one subgraph contributes to {@link startSubgraphService}. */
export interface SubgraphDefinition<TContext extends BaseContext> {
  name: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  buildSchema(): Promise<GraphQLSchema>;
  /** Inserts the demo data that is missing; returns how many rows it added. */
  seed(dataSource: DataSource): Promise<number>;
  /** Creates the per-request context builder once the database is open. */
  createContextFactory(dataSource: DataSource): (base: BaseContext) => TContext;
  /** Routes beside `/graphql` that authenticate their callers themselves (webhooks). */
  mountRoutes?(app: Express, dataSource: DataSource): void;
}

/**
 * Starts one subgraph: opens its own database and applies its migrations, seeds the demo data
 * when asked, then serves its schema with health routes and identity checks.
 */
export async function startSubgraphService<TContext extends BaseContext>(
  definition: SubgraphDefinition<TContext>,
  options: SubgraphServiceOptions,
): Promise<SubgraphService> {
  const logger = options.logger.child({ subgraph: definition.name });
  const dataSource = createDataSource({
    url: options.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    logger,
    ...(options.queryCounter ? { queryCounter: options.queryCounter } : {}),
  });
  await openDatabase(dataSource, logger);
  if (options.seedDemoData) {
    const seeded = await definition.seed(dataSource);
    if (seeded > 0) logger.info({ rows: seeded }, 'demo data seeded');
  }

  let server: SubgraphServer;
  try {
    server = await startSubgraphServer({
      name: definition.name,
      schema: await definition.buildSchema(),
      host: options.host,
      port: options.port,
      logger,
      identityPublicKey: options.identityPublicKey,
      readiness: [
        { name: 'database', check: async () => void (await dataSource.query('SELECT 1')) },
      ],
      createContext: definition.createContextFactory(dataSource),
      ...(definition.mountRoutes
        ? { mountRoutes: (app: Express) => definition.mountRoutes!(app, dataSource) }
        : {}),
    });
  } catch (error) {
    // A port already in use must not leave the pool open behind a failed start.
    await dataSource.destroy();
    throw error;
  }

  // Stopping twice (an operator's signal during a test's own stop) must not fail.
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    dataSource,
    stop() {
      stopped ??= server.stop().then(() => dataSource.destroy());
      return stopped;
    },
  };
}
