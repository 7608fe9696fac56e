import type { PaymentEntity } from './payment.entity.js';
import { PaymentStatus } from './payment.types.js';
import type { Payment } from './payment.types.js';

/**
 * Turns a stored payment into its GraphQL shape. It does not check who is asking: callers
 * apply `canSeePayment` first.
 */
export function toPayment(row: PaymentEntity): Payment {
  return {
    id: row.id,
    amount: { amount: row.amount, currency: row.currency },
    status: PaymentStatus[row.status],
    provider: row.provider,
    providerReference: row.providerReference,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
