import { createPublicKey } from 'node:crypto';
import { ConfigError, parseConfig } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import { importPKCS8 } from 'jose';
import { z } from 'zod';
import { createEnvelopeSigner } from './envelope-signing.js';
import type { EventBus } from './event-bus.js';
import { createKafkaBus } from './kafka-bus.js';
import { createNamespacedBus } from './namespaced-bus.js';
import type { ServiceEvents } from './service-events.js';

const schema = z.object({
  KAFKA_BROKERS: z.string().min(1, 'must list the Kafka brokers, such as kafka:9092'),
  /** This service's event signing key (PKCS#8 PEM). */
  EVENT_SIGNING_KEY: z.string().includes('-----BEGIN', { message: 'must hold a PKCS#8 PEM key' }),
  /** JSON object: producer name → its public key (SPKI PEM). */
  EVENT_PUBLIC_KEYS: z.string().min(2, 'must be a JSON object of producer public keys'),
  EVENT_NAMESPACE: z.string().default(''),
});

/** A service's events from configuration, and how to close its bus. */
export interface ConfiguredServiceEvents extends ServiceEvents {
  close(): Promise<void>;
}

/**
 * Builds a service's events for a process of its own (one service per container): Kafka from
 * `KAFKA_BROKERS`, its signing key from `EVENT_SIGNING_KEY_<SERVICE>` (or `EVENT_SIGNING_KEY`),
 * every producer's public key from
 * `EVENT_PUBLIC_KEYS`, topics prefixed by `EVENT_NAMESPACE`. `npm run keys` makes a set.
 * @throws ConfigError naming the variable that is missing or wrong.
 */
export async function loadServiceEvents(
  service: string,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConfiguredServiceEvents> {
  // One env file can serve every container: each service looks for its own key first.
  const ownKey = env[`EVENT_SIGNING_KEY_${service.toUpperCase()}`];
  const config = parseConfig(schema, ownKey ? { ...env, EVENT_SIGNING_KEY: ownKey } : env);
  let pems: Record<string, string>;
  try {
    pems = z.record(z.string(), z.string()).parse(JSON.parse(config.EVENT_PUBLIC_KEYS));
  } catch {
    throw new ConfigError(
      'EVENT_PUBLIC_KEYS: must be a JSON object mapping each producer to its SPKI PEM key.',
    );
  }
  const producerKeys = Object.fromEntries(
    Object.entries(pems).map(([producer, pem]) => [producer, createPublicKey(pem)]),
  );
  const bus: EventBus = createNamespacedBus(
    createKafkaBus({
      brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      clientId: service,
      logger,
    }),
    config.EVENT_NAMESPACE,
  );
  return {
    bus,
    signer: createEnvelopeSigner(service, await importPKCS8(config.EVENT_SIGNING_KEY, 'ES256')),
    producerKeys,
    close: () => bus.close(),
  };
}
