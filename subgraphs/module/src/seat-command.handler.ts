import type { RegistrarEvent } from '@registrar/events';
import type { EntityManager } from 'typeorm';
import { SeatCommandError } from './seat-command-error.js';
import { releaseSeat, reserveSeat } from './seat-ledger.js';

/** The consumer group of the seat commands, also the name their handled ids are kept under. */
export const SEAT_COMMAND_CONSUMER = 'module-seats';

/**
 * Applies one command from `module.commands` inside the transaction that records it as handled,
 * so the seat change, its answers in the outbox and the "handled" record commit together.
 *
 * @throws SeatCommandError SEAT_COMMAND_UNEXPECTED (not retryable) for any other event type;
 * see {@link reserveSeat} and {@link releaseSeat} for theirs.
 */
export async function handleSeatCommand(
  event: RegistrarEvent,
  manager: EntityManager,
): Promise<void> {
  const lineage = { correlationId: event.correlationId, causationId: event.id };
  switch (event.type) {
    case 'ReserveSeat':
      return reserveSeat(manager, event.payload, lineage);
    case 'ReleaseSeat':
      return releaseSeat(manager, event.payload, lineage);
    case 'RegistrationRequested':
    case 'RegistrationStatusChanged':
    case 'SeatAvailabilityChanged':
    case 'SeatReserved':
    case 'SeatWaitlisted':
    case 'SeatRefused':
    case 'SeatReleased':
    case 'RequestPayment':
    case 'CancelPayment':
    case 'PaymentPending':
    case 'PaymentSucceeded':
    case 'PaymentFailed':
    case 'PaymentCancelled':
      // Only commands belong on this topic; whatever else arrives can never apply here.
      throw new SeatCommandError(
        'SEAT_COMMAND_UNEXPECTED',
        `${event.type} is not a seat command; only ReserveSeat and ReleaseSeat are handled.`,
      );
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
