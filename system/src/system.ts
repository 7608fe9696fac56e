import 'reflect-metadata';
import { generateSigningKey, startGateway } from '@registrar/gateway';
import type { RunningGateway, SigningKey } from '@registrar/gateway';
import { startModuleService } from '@registrar/module';
import { startPaymentService } from '@registrar/payment';
import {
  createMemoryStore,
  connectRedis,
  createRedisStore,
  generateIdentityKeys,
} from '@registrar/platform';
import type {
  IdentityKeys,
  KeyValueStore,
  Logger,
  QueryCounter,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import { startRegistrationService } from '@registrar/registration';
import { readSupergraph } from '@registrar/schema';
import { startStudentService } from '@registrar/student';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import type { EmbeddedDatabase } from './embedded-postgres.js';
import type { SystemConfig } from './system.config.js';

const SUBGRAPHS = {
  student: { start: startStudentService, port: 'STUDENT_PORT', url: 'DATABASE_URL_STUDENT' },
  module: { start: startModuleService, port: 'MODULE_PORT', url: 'DATABASE_URL_MODULE' },
  registration: {
    start: startRegistrationService,
    port: 'REGISTRATION_PORT',
    url: 'DATABASE_URL_REGISTRATION',
  },
  payment: { start: startPaymentService, port: 'PAYMENT_PORT', url: 'DATABASE_URL_PAYMENT' },
} as const;

/** The name of each subgraph. */
export type SubgraphName = keyof typeof SUBGRAPHS;

/** The whole system running in one process. */
export interface RunningSystem {
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, SubgraphService>;
  /** The access-token keys, current first. */
  signingKeys: SigningKey[];
  /** The keys of the identity the gateway forwards to the subgraphs. */
  identityKeys: IdentityKeys;
  /** Which backing services are real and which embedded. */
  mode: { database: 'external' | 'embedded'; store: 'redis' | 'memory' };
  stop(): Promise<void>;
}

/** Options of {@link startSystem}. */
export interface StartSystemOptions {
  config: SystemConfig;
  logger: Logger;
  /** Per subgraph, counts its SQL statements (tests of batching). */
  queryCounters?: Partial<Record<SubgraphName, QueryCounter>>;
}

/**
 * Starts every service in one process: PostgreSQL (external, or embedded when no URL is set),
 * the four subgraphs on their own ports and databases, then the gateway in front of them.
 * Stopping reverses the order so that no request is cut off mid-way.
 */
export async function startSystem({
  config,
  logger,
  queryCounters = {},
}: StartSystemOptions): Promise<RunningSystem> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const { urls, embedded } = await resolveDatabases(config, logger);
    if (embedded) stops.push(embedded.stop);
    const store = createStore(config);
    stops.push(() => store.close());

    const identityKeys = await generateIdentityKeys();
    const subgraphs = {} as Record<SubgraphName, SubgraphService>;
    for (const name of Object.keys(SUBGRAPHS) as SubgraphName[]) {
      const options: SubgraphServiceOptions = {
        databaseUrl: urls[name],
        host: config.HOST,
        port: config[SUBGRAPHS[name].port],
        logger,
        identityPublicKey: identityKeys.publicKey,
        seedDemoData: config.SEED_DEMO_DATA,
        ...(queryCounters[name] ? { queryCounter: queryCounters[name] } : {}),
      };
      subgraphs[name] = await SUBGRAPHS[name].start(options);
      stops.push(() => subgraphs[name].stop());
    }

    const signingKeys = [await generateSigningKey()];
    const gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
      identityKeys,
      signingKeys,
      store,
      host: config.HOST,
      port: config.PORT,
      logger: logger.child({ component: 'gateway' }),
      introspection: config.GATEWAY_INTROSPECTION,
    });
    stops.push(() => gateway.stop());

    return {
      gateway,
      subgraphs,
      signingKeys,
      identityKeys,
      mode: {
        database: embedded ? 'embedded' : 'external',
        store: config.REDIS_URL ? 'redis' : 'memory',
      },
      stop: () => stopAll(stops),
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function resolveDatabases(
  config: SystemConfig,
  logger: Logger,
): Promise<{ urls: Record<SubgraphName, string>; embedded?: EmbeddedDatabase }> {
  const configured = Object.fromEntries(
    (Object.keys(SUBGRAPHS) as SubgraphName[]).map((name) => [name, config[SUBGRAPHS[name].url]]),
  ) as Record<SubgraphName, string | undefined>;
  const missing = (Object.keys(configured) as SubgraphName[]).filter((name) => !configured[name]);
  if (missing.length === 0) return { urls: configured as Record<SubgraphName, string> };

  const embedded = await startEmbeddedPostgres({
    dataDir: config.DATA_DIR,
    port: config.EMBEDDED_POSTGRES_PORT,
    databases: missing.map((name) => `registrar_${name}`),
    logger,
  });
  const urls = { ...configured };
  for (const name of missing) urls[name] = embedded.urls[`registrar_${name}`];
  return { urls: urls as Record<SubgraphName, string>, embedded };
}

function createStore(config: SystemConfig): KeyValueStore {
  return config.REDIS_URL ? createRedisStore(connectRedis(config.REDIS_URL)) : createMemoryStore();
}

// Stops in reverse start order; one failure does not keep the rest running.
async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of [...stops].reverse()) {
    await stop().catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0)
    throw new AggregateError(failures, 'Some services did not stop cleanly.');
}
