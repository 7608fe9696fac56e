import { createBatchLoader } from '@registrar/platform';
import type { BaseContext } from '@registrar/platform';
import type DataLoader from 'dataloader';
import type { ConfirmationTokens } from './confirmation-token.js';
import type { PaymentLedger } from './payment-ledger.js';
import type { PaymentEntity } from './payment.entity.js';

/** What the Payment service's resolvers receive for one request. */
export interface PaymentContext extends BaseContext {
  ledger: PaymentLedger;
  /** Issues the local provider's confirmation tokens; absent where no local provider runs. */
  confirmationTokens: ConfirmationTokens | undefined;
  /** Batches every lookup by payment id made while resolving one request into one query. */
  paymentById: DataLoader<string, PaymentEntity | undefined>;
  /**
   * Batches every `Registration.payment` of one request (an `_entities` call for many
   * registrations included) into one query. Keys must be validated UUIDs: one malformed key
   * would fail the whole batch.
   */
  paymentByRegistrationId: DataLoader<string, PaymentEntity | undefined>;
}

/** Builds the per-request context of the Payment service. */
export function createPaymentContext(
  base: BaseContext,
  ledger: PaymentLedger,
  confirmationTokens?: ConfirmationTokens,
): PaymentContext {
  return {
    ...base,
    ledger,
    confirmationTokens,
    paymentById: createBatchLoader(async (ids) => {
      const rows = await ledger.findByIds(ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    }),
    paymentByRegistrationId: createBatchLoader(async (registrationIds) => {
      const rows = await ledger.findByRegistrationIds(registrationIds);
      const byRegistration = new Map(rows.map((row) => [row.registrationId, row]));
      return registrationIds.map((id) => byRegistration.get(id));
    }),
  };
}
