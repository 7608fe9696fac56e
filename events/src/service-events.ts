import type { Logger } from '@registrar/platform';
import type { CryptoKey, KeyObject } from 'jose';
import type { DataSource, EntityManager } from 'typeorm';
import type { RegistrarEvent } from './catalogue.js';
import type { EnvelopeSigner } from './envelope-signing.js';
import type { EventBus, Subscription } from './event-bus.js';
import { startEventConsumer } from './event-consumer.js';
import { startOutboxRelay } from './outbox-relay.js';
import type { OutboxRelay } from './outbox-relay.js';

/** What a service needs to take part in the events: the bus, its signer, and who signs what. */
export interface ServiceEvents {
  bus: EventBus;
  /** Signs the service's own events as it. */
  signer: EnvelopeSigner;
  /** Every producer's public key, by producer name. */
  producerKeys: Readonly<Record<string, CryptoKey | KeyObject>>;
}

/** Options of {@link startServiceEventing}. */
export interface ServiceEventingOptions {
  dataSource: DataSource;
  events: ServiceEvents;
  logger: Logger;
  /** The consumer group and the name its handled events are recorded under. */
  consumer: string;
  topics: string[];
  handle(event: RegistrarEvent, manager: EntityManager): Promise<void>;
}

/** A service's running relay and consumer. */
export interface ServiceEventing {
  relay: OutboxRelay;
  stop(): Promise<void>;
}

/**
 * Starts a service's outbox relay and its event consumer together. After each handled event the
 * relay is nudged, so the events the handler wrote leave at once instead of at the next poll.
 */
export async function startServiceEventing(
  options: ServiceEventingOptions,
): Promise<ServiceEventing> {
  const relay = startOutboxRelay({
    dataSource: options.dataSource,
    bus: options.events.bus,
    signer: options.events.signer,
    logger: options.logger,
  });
  let subscription: Subscription;
  try {
    subscription = await startEventConsumer({
      bus: options.events.bus,
      dataSource: options.dataSource,
      consumer: options.consumer,
      topics: options.topics,
      producerKeys: options.events.producerKeys,
      logger: options.logger,
      handle: options.handle,
      onHandled: () => relay.nudge(),
    });
  } catch (error) {
    await relay.stop();
    throw error;
  }
  return {
    relay,
    async stop() {
      await subscription.stop();
      await relay.stop();
    },
  };
}
