import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { appendPaymentEvent } from './payment-events.js';
import type { EventLineage } from './payment-events.js';
import type { IntentStatus, ProviderIntent } from './payment-provider.js';
import { PaymentEntity } from './payment.entity.js';
import type { PaymentStatusValue } from './payment.entity.js';

/** Where the provider's word on an intent may move a payment, and from which states. */
const TRANSITIONS: Record<
  IntentStatus,
  { to: PaymentStatusValue; from: readonly PaymentStatusValue[] } | undefined
> = {
  // Money taken always counts, whatever was recorded before (a retried intent that succeeded
  // after a failure): the saga then confirms, or refunds a registration that had already ended.
  succeeded: { to: 'SUCCEEDED', from: ['REQUIRES_PAYMENT', 'PROCESSING', 'FAILED', 'CANCELLED'] },
  // A failure or cancellation never undoes a success: a late webhook changes nothing.
  failed: { to: 'FAILED', from: ['REQUIRES_PAYMENT', 'PROCESSING'] },
  canceled: { to: 'CANCELLED', from: ['REQUIRES_PAYMENT', 'PROCESSING', 'FAILED'] },
  processing: { to: 'PROCESSING', from: ['REQUIRES_PAYMENT'] },
  requires_payment: undefined,
};

/** What the provider says about an intent: from a webhook, a confirmation or a reconciliation. */
export type ObservedIntent = Pick<ProviderIntent, 'status' | 'failureCode'>;

/** Why a payment changed, for its history and its event. */
export interface StatusSource {
  /** Such as `stripe:payment_intent.succeeded`, `local:confirm`, `reconciliation`. */
  cause: string;
  lineage: EventLineage;
}

/**
 * Applies the provider's word on a payment's intent, inside the caller's transaction, to a
 * payment the caller has locked. The one path for webhooks, local confirmations and
 * reconciliation: idempotent and indifferent to order, because each status may only move the
 * payment forward (see the transitions above). A change appends its answer to the saga:
 * PaymentSucceeded, PaymentFailed (with the provider's code as reason) or PaymentCancelled.
 *
 * @returns the new status, or `undefined` when nothing changed.
 */
export async function applyProviderStatus(
  manager: EntityManager,
  payment: PaymentEntity,
  observed: ObservedIntent,
  source: StatusSource,
): Promise<PaymentStatusValue | undefined> {
  const transition = TRANSITIONS[observed.status];
  if (!transition || !transition.from.includes(payment.status)) return undefined;

  const failureReason =
    transition.to === 'FAILED' ? (observed.failureCode ?? 'payment_failed') : null;
  await changePaymentStatus(manager, payment, transition.to, source.cause, failureReason);
  const ids = { registrationId: payment.registrationId, paymentId: payment.id };
  switch (transition.to) {
    case 'SUCCEEDED':
      await appendPaymentEvent(manager, 'PaymentSucceeded', ids, source.lineage);
      break;
    case 'FAILED':
      await appendPaymentEvent(
        manager,
        'PaymentFailed',
        { ...ids, reason: failureReason ?? 'payment_failed' },
        source.lineage,
      );
      break;
    case 'CANCELLED':
      await appendPaymentEvent(
        manager,
        'PaymentCancelled',
        { ...ids, refunded: false },
        source.lineage,
      );
      break;
    default:
      break;
  }
  return transition.to;
}

/**
 * Moves a payment to `to` and records the step in its history. Once a payment leaves the states
 * in which it can be paid, its client secret is forgotten: nobody needs it any more.
 */
export async function changePaymentStatus(
  manager: EntityManager,
  payment: PaymentEntity,
  to: PaymentStatusValue,
  cause: string,
  failureReason: string | null = null,
): Promise<void> {
  await manager.query(
    `UPDATE payments SET status = $2::varchar, failure_reason = COALESCE($3, failure_reason),
       client_secret = CASE WHEN $2::varchar IN ('REQUIRES_PAYMENT', 'PROCESSING')
         THEN client_secret END,
       updated_at = now()
     WHERE id = $1`,
    [payment.id, to, failureReason],
  );
  await recordPaymentHistory(manager, payment.id, payment.status, to, cause);
  payment.status = to;
}

/** Adds one step to a payment's history. */
export async function recordPaymentHistory(
  manager: EntityManager,
  paymentId: string,
  from: PaymentStatusValue | null,
  to: PaymentStatusValue,
  cause: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO payment_history (payment_id, from_status, to_status, cause)
     VALUES ($1, $2, $3, $4)`,
    [paymentId, from, to, cause.slice(0, 100)],
  );
}

/**
 * Reads one payment and locks it until the caller's transaction ends, so that a webhook, a
 * command and a reconciliation about the same payment apply one after another.
 */
export function lockPayment(
  manager: EntityManager,
  where: FindOptionsWhere<PaymentEntity>,
): Promise<PaymentEntity | null> {
  return manager.getRepository(PaymentEntity).findOne({
    where,
    lock: { mode: 'pessimistic_write' },
  });
}
