import { appendToOutbox, createEvent } from '@registrar/events';
import type { EventPayloadInput, EventType, RegistrarEvent } from '@registrar/events';
import type { EntityManager } from 'typeorm';

/** The producer name the Payment service signs its events as. */
export const PAYMENT_PRODUCER = 'payment';

/** Where an event comes from: the command, webhook or job it follows. */
export interface EventLineage {
  correlationId: string;
  /** The command that caused it; absent for a webhook or a reconciliation. */
  causationId?: string;
}

/** Writes one of the Payment service's events to the outbox, inside the caller's transaction. */
export async function appendPaymentEvent<T extends EventType>(
  manager: EntityManager,
  type: T,
  payload: EventPayloadInput<T>,
  lineage: EventLineage,
): Promise<void> {
  const event = createEvent(type, payload, { producer: PAYMENT_PRODUCER, ...lineage });
  // A generic EventOf<T> is one member of the union, but TypeScript cannot see that for an open T.
  await appendToOutbox(manager, event as RegistrarEvent);
}
