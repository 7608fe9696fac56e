import type { EventPayload } from '@registrar/events';
import { isUuid, nameBasedUuid, queryRows } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import type { EntityManager } from 'typeorm';
import { PaymentError } from './payment-error.js';
import { appendPaymentEvent } from './payment-events.js';
import type { EventLineage } from './payment-events.js';
import type { PaymentProviders, ProviderIntent } from './payment-provider.js';
import {
  applyProviderStatus,
  changePaymentStatus,
  lockPayment,
  recordPaymentHistory,
} from './payment-status.js';
import type { PaymentEntity } from './payment.entity.js';

/** What the command handlers work with besides the transaction. */
export interface PaymentCommandDependencies {
  providers: PaymentProviders;
  logger: Logger;
}

/**
 * Derives a payment's id from its registration's, so that a command retried after a rollback
 * asks the provider with the very same parameters (a reused idempotency key with other
 * parameters is refused).
 */
export function paymentIdOf(registrationId: string): string {
  return nameBasedUuid(`registrar-payment:${registrationId}`);
}

/**
 * Handles RequestPayment inside the caller's transaction: records the payment (one per
 * registration) and opens its intent at the provider (see {@link openIntent}). A registration
 * that already has a payment changes nothing, so a repeated request is harmless.
 *
 * @throws PaymentError PAYMENT_COMMAND_INVALID for ids that are not UUIDs.
 */
export async function requestPayment(
  manager: EntityManager,
  command: EventPayload<'RequestPayment'>,
  lineage: EventLineage,
  dependencies: PaymentCommandDependencies,
): Promise<void> {
  const registrationId = parseCommandUuid(command.registrationId, 'registrationId');
  const studentId = parseCommandUuid(command.studentId, 'studentId');
  const payment = await insertPayment(manager, {
    id: paymentIdOf(registrationId),
    registrationId,
    studentId,
    amount: command.amount,
    currency: command.currency.toUpperCase(),
    provider: dependencies.providers.current.name,
  });
  if (!payment) return;
  await openIntent(manager, payment, lineage, dependencies);
}

/**
 * Creates the provider's intent of a payment that has none, inside the caller's transaction
 * (which holds the payment locked), with the registration id as idempotency key: asking again,
 * after a rollback or from reconciliation, returns the same intent. Once it exists, its reference
 * and client secret are stored and PaymentPending answers the saga. A provider that cannot be
 * reached leaves the payment without an intent for reconciliation to try again (no answer yet:
 * the saga's payment deadline still runs); a provider that refuses for good ends the payment
 * FAILED with PaymentFailed, so the saga releases the seat at once.
 */
export async function openIntent(
  manager: EntityManager,
  payment: PaymentEntity,
  lineage: EventLineage,
  dependencies: PaymentCommandDependencies,
): Promise<void> {
  let intent: ProviderIntent;
  try {
    intent = await dependencies.providers.of(payment.provider).createIntent({
      paymentId: payment.id,
      registrationId: payment.registrationId,
      amount: payment.amount,
      currency: payment.currency,
      idempotencyKey: payment.registrationId,
    });
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    if (!error.retryable)
      return refuseRequest(manager, payment, error, lineage, dependencies.logger);
    dependencies.logger.warn(
      { registrationId: payment.registrationId, paymentId: payment.id, code: error.providerCode },
      'payment provider unreachable; reconciliation will create the intent',
    );
    return;
  }

  await manager.query(
    `UPDATE payments SET provider_reference = $2, client_secret = $3 WHERE id = $1`,
    [payment.id, intent.reference, intent.clientSecret],
  );
  payment.providerReference = intent.reference;
  await appendPaymentEvent(
    manager,
    'PaymentPending',
    { registrationId: payment.registrationId, paymentId: payment.id },
    lineage,
  );
  // An intent made by an attempt that was rolled back could have moved on since; apply its state.
  await applyProviderStatus(manager, payment, intent, { cause: 'RequestPayment', lineage });
}

/**
 * Handles CancelPayment inside the caller's transaction. An unpaid intent is cancelled
 * (CANCELLED); a succeeded one is refunded when `refund` says so (REFUNDED), else its fee stands.
 * Either way PaymentCancelled answers, as it does for a payment cancelled or refunded before. A
 * registration without a payment gets no answer: nothing was asked of any provider. An intent
 * found paid while cancelling it is recorded as SUCCEEDED (PaymentSucceeded) and refunded only if
 * asked; the saga refunds a success that arrives after its registration ended.
 *
 * @throws PaymentError PAYMENT_COMMAND_INVALID for an id that is not a UUID; provider errors.
 */
export async function cancelPayment(
  manager: EntityManager,
  command: EventPayload<'CancelPayment'>,
  lineage: EventLineage,
  dependencies: PaymentCommandDependencies,
): Promise<void> {
  const registrationId = parseCommandUuid(command.registrationId, 'registrationId');
  const payment = await lockPayment(manager, { registrationId });
  if (!payment) return;

  const answer = (refunded: boolean) =>
    appendPaymentEvent(
      manager,
      'PaymentCancelled',
      { registrationId, paymentId: payment.id, refunded },
      lineage,
    );
  switch (payment.status) {
    case 'SUCCEEDED':
      if (!command.refund) return answer(false);
      return refundPayment(manager, payment, lineage, dependencies);
    case 'REFUNDED':
      return answer(true);
    case 'CANCELLED':
      return answer(false);
    case 'REQUIRES_PAYMENT':
    case 'PROCESSING':
    case 'FAILED':
      return stopPayment(manager, payment, command, lineage, dependencies);
    default: {
      const unknown: never = payment.status;
      return unknown;
    }
  }
}

async function stopPayment(
  manager: EntityManager,
  payment: PaymentEntity,
  command: EventPayload<'CancelPayment'>,
  lineage: EventLineage,
  dependencies: PaymentCommandDependencies,
): Promise<void> {
  if (payment.providerReference) {
    const provider = dependencies.providers.of(payment.provider);
    const intent = await provider.cancelIntent(payment.providerReference);
    if (intent.status === 'succeeded') {
      await applyProviderStatus(manager, payment, intent, { cause: 'CancelPayment', lineage });
      if (command.refund) await refundPayment(manager, payment, lineage, dependencies);
      return;
    }
  }
  await changePaymentStatus(manager, payment, 'CANCELLED', 'CancelPayment');
  await appendPaymentEvent(
    manager,
    'PaymentCancelled',
    { registrationId: payment.registrationId, paymentId: payment.id, refunded: false },
    lineage,
  );
}

async function refundPayment(
  manager: EntityManager,
  payment: PaymentEntity,
  lineage: EventLineage,
  dependencies: PaymentCommandDependencies,
): Promise<void> {
  if (payment.providerReference) {
    // One refund per registration: a retried command reuses the key and refunds nothing more.
    await dependencies.providers
      .of(payment.provider)
      .refundIntent(payment.providerReference, `refund:${payment.registrationId}`);
  }
  await changePaymentStatus(manager, payment, 'REFUNDED', 'CancelPayment');
  await appendPaymentEvent(
    manager,
    'PaymentCancelled',
    { registrationId: payment.registrationId, paymentId: payment.id, refunded: true },
    lineage,
  );
}

async function refuseRequest(
  manager: EntityManager,
  payment: PaymentEntity,
  error: PaymentError,
  lineage: EventLineage,
  logger: Logger,
): Promise<void> {
  const reason = `provider_refused:${error.providerCode ?? 'unknown'}`.slice(0, 100);
  logger.warn(
    { registrationId: payment.registrationId, paymentId: payment.id, code: error.providerCode },
    'payment provider refused to create the intent; payment failed',
  );
  await changePaymentStatus(manager, payment, 'FAILED', 'RequestPayment', reason);
  await appendPaymentEvent(
    manager,
    'PaymentFailed',
    { registrationId: payment.registrationId, paymentId: payment.id, reason },
    lineage,
  );
}

interface NewPayment {
  id: string;
  registrationId: string;
  studentId: string;
  amount: number;
  currency: string;
  provider: PaymentEntity['provider'];
}

// One payment per registration: of two deliveries racing, the second waits on the first's row
// and then finds it, so only one intent is ever asked for.
async function insertPayment(
  manager: EntityManager,
  row: NewPayment,
): Promise<PaymentEntity | undefined> {
  const inserted = await queryRows<{ id: string }>(
    manager,
    `INSERT INTO payments (id, registration_id, student_id, amount, currency, status, provider)
     VALUES ($1, $2, $3, $4, $5, 'REQUIRES_PAYMENT', $6)
     ON CONFLICT (registration_id) DO NOTHING RETURNING id`,
    [row.id, row.registrationId, row.studentId, row.amount, row.currency, row.provider],
  );
  if (inserted.length === 0) return undefined;
  await recordPaymentHistory(manager, row.id, null, 'REQUIRES_PAYMENT', 'RequestPayment');
  const payment = await lockPayment(manager, { id: row.id });
  return payment ?? undefined;
}

function parseCommandUuid(value: string, field: string): string {
  const normalised = value.toLowerCase();
  if (!isUuid(normalised)) {
    throw new PaymentError('PAYMENT_COMMAND_INVALID', `The command's ${field} must be a UUID.`);
  }
  return normalised;
}
