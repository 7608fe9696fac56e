import 'reflect-metadata';
import {
  createEnvelopeSigner,
  createInProcessBus,
  createKafkaBus,
  createNamespacedBus,
} from '@registrar/events';
import type { EventBus, ServiceEvents } from '@registrar/events';
import { generateKeyPair } from 'jose';
import {
  createKeyRing,
  generateSigningKey,
  openAccountDirectory,
  startGateway,
} from '@registrar/gateway';
import type { KeyRing, RunningGateway } from '@registrar/gateway';
import { startModuleService } from '@registrar/module';
import { selectPaymentProvider, startPaymentService } from '@registrar/payment';
import {
  createMemoryStore,
  connectRedis,
  createRedisStore,
  generateIdentityKeys,
} from '@registrar/platform';
import type {
  IdentityKeys,
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

// Each subgraph's start function, given its common options and the events of its service.
const SUBGRAPHS = {
  student: { start: startStudentService, port: 'STUDENT_PORT', url: 'DATABASE_URL_STUDENT' },
  module: {
    start: (options: SubgraphServiceOptions, events: ServiceEvents) =>
      startModuleService({ ...options, events }),
    port: 'MODULE_PORT',
    url: 'DATABASE_URL_MODULE',
  },
  registration: {
    start: (options: SubgraphServiceOptions, events: ServiceEvents, config: SystemConfig) =>
      startRegistrationService({
        ...options,
        events,
        saga: {
          seatAnswerSeconds: config.SAGA_SEAT_ANSWER_SECONDS,
          paymentSeconds: config.SAGA_PAYMENT_SECONDS,
          creditCap: config.REGISTRATION_CREDIT_CAP,
        },
      }),
    port: 'REGISTRATION_PORT',
    url: 'DATABASE_URL_REGISTRATION',
  },
  payment: {
    start: (options: SubgraphServiceOptions, events: ServiceEvents, config: SystemConfig) =>
      startPaymentService({
        ...options,
        events,
        provider: selectPaymentProvider(config),
        reconciliation: {
          intervalMs: config.PAYMENT_RECONCILE_INTERVAL_SECONDS * 1000,
          olderThanMinutes: config.PAYMENT_RECONCILE_AFTER_MINUTES,
        },
      }),
    port: 'PAYMENT_PORT',
    url: 'DATABASE_URL_PAYMENT',
  },
} as const;

/** The name of each subgraph. */
export type SubgraphName = keyof typeof SUBGRAPHS;

/** The whole system running in one process. */
export interface RunningSystem {
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, SubgraphService>;
  /** The access-token signing keys. */
  keyRing: KeyRing;
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
    const { urls, identityUrl, embedded } = await resolveDatabases(config, logger);
    if (embedded) stops.push(embedded.stop);
    // One Redis client for sessions and rate limits; store.close() quits it.
    const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL) : undefined;
    const store = redis ? createRedisStore(redis) : createMemoryStore();
    stops.push(() => store.close());

    const identityKeys = await generateIdentityKeys();
    const bus = createBus(config, logger);
    stops.push(() => bus.close());
    const eventsOf = await createServiceEvents(bus, Object.keys(SUBGRAPHS));
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
      subgraphs[name] = await SUBGRAPHS[name].start(options, eventsOf(name), config);
      stops.push(() => subgraphs[name].stop());
    }

    const accounts = await openAccountDirectory({
      databaseUrl: identityUrl,
      logger,
      seedDemoData: config.SEED_DEMO_DATA,
    });
    stops.push(() => accounts.close());
    const keyRing = createKeyRing(await generateSigningKey());
    const gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
      identityKeys,
      keyRing,
      accounts,
      allowedOrigins: config.ALLOWED_ORIGINS,
      keyRotationHours: config.ACCESS_KEY_ROTATION_HOURS,
      sessionOptions: {
        idleSeconds: config.SESSION_IDLE_SECONDS,
        absoluteSeconds: config.SESSION_ABSOLUTE_SECONDS,
        reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
      },
      store,
      ...(redis ? { redis } : {}),
      host: config.HOST,
      port: config.PORT,
      logger: logger.child({ component: 'gateway' }),
      introspection: config.GATEWAY_INTROSPECTION,
      limits: {
        keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
        rateLimits: {
          mutationsPerIp: {
            registerForModule: {
              points: config.REGISTRATIONS_PER_IP_PER_MINUTE,
              durationSeconds: 60,
            },
          },
        },
      },
    });
    stops.push(() => gateway.stop());

    return {
      gateway,
      subgraphs,
      keyRing,
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
): Promise<{
  urls: Record<SubgraphName, string>;
  identityUrl: string;
  embedded?: EmbeddedDatabase;
}> {
  const configured: Record<string, string | undefined> = {
    ...Object.fromEntries(
      (Object.keys(SUBGRAPHS) as SubgraphName[]).map((name) => [name, config[SUBGRAPHS[name].url]]),
    ),
    identity: config.DATABASE_URL_IDENTITY,
  };
  const missing = Object.keys(configured).filter((name) => !configured[name]);
  let embedded: EmbeddedDatabase | undefined;
  if (missing.length > 0) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.DATA_DIR,
      port: config.EMBEDDED_POSTGRES_PORT,
      databases: missing.map((name) => `registrar_${name}`),
      logger,
    });
    for (const name of missing) configured[name] = embedded.urls[`registrar_${name}`];
  }
  const { identity, ...urls } = configured as Record<string, string>;
  return {
    urls: urls as Record<SubgraphName, string>,
    identityUrl: identity!,
    ...(embedded ? { embedded } : {}),
  };
}

function createBus(config: SystemConfig, logger: Logger): EventBus {
  const bus = config.KAFKA_BROKERS
    ? createKafkaBus({ brokers: config.KAFKA_BROKERS, clientId: 'registrar', logger })
    : createInProcessBus({ logger });
  return createNamespacedBus(bus, config.EVENT_NAMESPACE);
}

// One signing key per service, made at start: in one process every service's public key is at
// hand. Services in separate processes take theirs from configuration instead.
async function createServiceEvents(
  bus: EventBus,
  services: string[],
): Promise<(service: string) => ServiceEvents> {
  const keys = Object.fromEntries(
    await Promise.all(
      services.map(async (service) => [service, await generateKeyPair('ES256')] as const),
    ),
  );
  const producerKeys = Object.fromEntries(
    Object.entries(keys).map(([service, pair]) => [service, pair.publicKey]),
  );
  return (service) => ({
    bus,
    signer: createEnvelopeSigner(service, keys[service]!.privateKey),
    producerKeys,
  });
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
