import { appendToOutbox, createEvent } from '@registrar/events';
import type { EventPayloadInput, EventType, RegistrarEvent } from '@registrar/events';
import type { EntityManager } from 'typeorm';
import { freeSeatsOf } from './module-seats.js';
import type { SeatCounts } from './module-seats.js';

/** The producer name the Module service signs its events as. */
export const MODULE_PRODUCER = 'module';

/** Where an event comes from: the request or command it follows. */
export interface EventLineage {
  correlationId: string;
  /** The command that caused it; absent for a staff request. */
  causationId?: string;
}

/** Writes one of the Module service's events to the outbox, inside the caller's transaction. */
export async function appendModuleEvent<T extends EventType>(
  manager: EntityManager,
  type: T,
  payload: EventPayloadInput<T>,
  lineage: EventLineage,
): Promise<void> {
  const event = createEvent(type, payload, { producer: MODULE_PRODUCER, ...lineage });
  // A generic EventOf<T> is one member of the union, but TypeScript cannot see that for an open T.
  await appendToOutbox(manager, event as RegistrarEvent);
}

/**
 * Announces a module's seats once per change, with the state the change left. Nothing is written
 * when capacity and free seats end as they began (a release whose seat went straight to the
 * next student waiting), so subscribers never see a free seat that nobody could take.
 */
export async function appendAvailabilityChange(
  manager: EntityManager,
  before: SeatCounts,
  after: SeatCounts,
  lineage: EventLineage,
): Promise<void> {
  if (before.capacity === after.capacity && freeSeatsOf(before) === freeSeatsOf(after)) return;
  await appendAvailability(manager, after, lineage);
}

/** Announces a module's capacity and free seats as they are now. */
export async function appendAvailability(
  manager: EntityManager,
  counts: SeatCounts,
  lineage: EventLineage,
): Promise<void> {
  await appendModuleEvent(
    manager,
    'SeatAvailabilityChanged',
    { moduleCode: counts.code, capacity: counts.capacity, seatsAvailable: freeSeatsOf(counts) },
    lineage,
  );
}
