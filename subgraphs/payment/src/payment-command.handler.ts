import type { RegistrarEvent } from '@registrar/events';
import type { EntityManager } from 'typeorm';
import { cancelPayment, requestPayment } from './payment-commands.js';
import type { PaymentCommandDependencies } from './payment-commands.js';
import { PaymentError } from './payment-error.js';

/** The consumer group of the payment commands, also the name their handled ids are kept under. */
export const PAYMENT_COMMAND_CONSUMER = 'payment-requests';

/** Applies one command from `payment.commands`; see {@link createPaymentCommandHandler}. */
export type PaymentCommandHandler = (
  event: RegistrarEvent,
  manager: EntityManager,
) => Promise<void>;

/**
 * Creates the handler of `payment.commands`. Each command is applied inside the transaction that
 * records it as handled, so the payment's change, its answer in the outbox and the "handled"
 * record commit together; the provider is called inside it too, with an idempotency key, so a
 * rolled-back attempt's retry finds the same intent.
 *
 * @throws PaymentError PAYMENT_COMMAND_UNEXPECTED (not retryable) for any other event type; see
 * {@link requestPayment} and {@link cancelPayment} for theirs.
 */
export function createPaymentCommandHandler(
  dependencies: PaymentCommandDependencies,
): PaymentCommandHandler {
  return async (event, manager) => {
    const lineage = { correlationId: event.correlationId, causationId: event.id };
    switch (event.type) {
      case 'RequestPayment':
        return requestPayment(manager, event.payload, lineage, dependencies);
      case 'CancelPayment':
        return cancelPayment(manager, event.payload, lineage, dependencies);
      case 'RegistrationRequested':
      case 'RegistrationStatusChanged':
      case 'SeatAvailabilityChanged':
      case 'ReserveSeat':
      case 'ReleaseSeat':
      case 'SeatReserved':
      case 'SeatWaitlisted':
      case 'SeatRefused':
      case 'SeatReleased':
      case 'PaymentPending':
      case 'PaymentSucceeded':
      case 'PaymentFailed':
      case 'PaymentCancelled':
        // Only commands belong on this topic; whatever else arrives can never apply here.
        throw new PaymentError(
          'PAYMENT_COMMAND_UNEXPECTED',
          `${event.type} is not a payment command; only RequestPayment and CancelPayment are handled.`,
        );
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  };
}
