import type { Viewer } from '@registrar/platform';
import type { ConfirmationTokens } from './confirmation-token.js';
import { isPaymentOwner } from './payment.access.js';
import type { PaymentEntity } from './payment.entity.js';
import { PaymentStatus } from './payment.types.js';
import type { Payment } from './payment.types.js';

/**
 * Turns a stored payment into its GraphQL shape. It does not check who may see the payment:
 * callers apply `canSeePayment` first. The means to pay (Stripe's client secret, the local
 * confirmation token) go to the owning student only, and only while the payment waits to be
 * paid; `tokens` is absent where no local provider runs.
 */
export function toPayment(
  row: PaymentEntity,
  viewer: Viewer,
  tokens: ConfirmationTokens | undefined,
): Payment {
  const payable = row.status === 'REQUIRES_PAYMENT' && isPaymentOwner(viewer, row);
  return {
    id: row.id,
    amount: { amount: row.amount, currency: row.currency },
    status: PaymentStatus[row.status],
    provider: row.provider,
    providerReference: row.providerReference,
    clientSecret: payable ? row.clientSecret : null,
    confirmationToken:
      payable && tokens && row.provider === 'local' && row.providerReference
        ? tokens.issue(row.id)
        : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
