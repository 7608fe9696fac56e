import type { Logger } from '@registrar/platform';
import type { CryptoKey, KeyObject } from 'jose';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeEvent } from './catalogue.js';
import type { RegistrarEvent } from './catalogue.js';
import { verifySignedEnvelope } from './envelope-signing.js';
import type { EventBus, Subscription } from './event-bus.js';
import { handleOnce } from './outbox.js';

/** Options of {@link startEventConsumer}. */
export interface EventConsumerOptions {
  bus: EventBus;
  /** The consuming service's database, holding its `processed_events` table. */
  dataSource: DataSource;
  /** The consumer group, also the name its handled events are recorded under. */
  consumer: string;
  topics: string[];
  /** Each producer's public key, by producer name: only signed events are applied. */
  producerKeys: Readonly<Record<string, CryptoKey | KeyObject>>;
  logger: Logger;
  /**
   * Applies one event inside the transaction that records it as handled. Throw an error with
   * `retryable: false` for an event that can never apply; anything else is retried.
   */
  handle(event: RegistrarEvent, manager: EntityManager): Promise<void>;
  /** Deliveries before a message is dead-lettered. @default 5 */
  maxAttempts?: number;
  /** Called after an event's changes have committed (to publish what it wrote at once). */
  onHandled?: () => void;
}

/**
 * Consumes catalogued events exactly once in effect: each message's signature is verified and its
 * payload checked against the catalogue (a forged or malformed one is dead-lettered at once, never
 * applied), then the handler's changes and the "handled" record commit together, so a redelivered
 * event changes nothing.
 */
export function startEventConsumer(options: EventConsumerOptions): Promise<Subscription> {
  return options.bus.subscribe({
    groupId: options.consumer,
    topics: options.topics,
    fromBeginning: true,
    maxAttempts: options.maxAttempts ?? 5,
    handler: async (message) => {
      const text = await verifySignedEnvelope(message.value, options.producerKeys);
      const event = decodeEvent(Buffer.from(text, 'utf8'));
      const applied = await handleOnce(
        options.dataSource.manager,
        options.consumer,
        event.id,
        (manager) => options.handle(event, manager),
      );
      if (applied) options.onHandled?.();
      else {
        options.logger.debug(
          { consumer: options.consumer, eventId: event.id, type: event.type },
          'duplicate event ignored',
        );
      }
    },
  });
}
