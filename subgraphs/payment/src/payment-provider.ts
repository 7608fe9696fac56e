import type { PaymentProviderName } from './payment.entity.js';

/**
 * Where a provider's payment intent stands, in the terms this service acts on. `failed` is an
 * intent whose last attempt was declined (Stripe puts it back to `requires_payment_method` with a
 * `last_payment_error`); `requires_payment` is one nobody has tried to pay yet.
 */
export type IntentStatus = 'requires_payment' | 'processing' | 'succeeded' | 'failed' | 'canceled';

/** A payment intent as the provider reports it. */
export interface ProviderIntent {
  /** The provider's id of the intent (`pi_…`). */
  reference: string;
  status: IntentStatus;
  /**
   * What the paying browser confirms the intent with (Stripe's `client_secret`); null for the
   * local provider. A credential for this payment: never log it.
   */
  clientSecret: string | null;
  /** The provider's code for the last failed attempt (such as card_declined), if any. */
  failureCode: string | null;
}

/** What {@link PaymentProvider.createIntent} is asked for. */
export interface CreateIntentRequest {
  paymentId: string;
  registrationId: string;
  /** Minor units (pence, cents). */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /**
   * The provider's idempotency key: asking again with it returns the intent made the first time,
   * so a command retried after a crash never charges twice. The registration id.
   */
  idempotencyKey: string;
}

/**
 * A payment provider: Stripe, or the embedded default's local stand-in. It takes payment
 * intents only; card details go from the browser to the provider and never through this service.
 * Methods throw `PaymentError` (`PAYMENT_PROVIDER_UNAVAILABLE` when a retry may help,
 * `PAYMENT_PROVIDER_REFUSED` when it cannot).
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** Creates an intent for the amount, or returns the one made earlier with the same key. */
  createIntent(request: CreateIntentRequest): Promise<ProviderIntent>;
  /** Asks the provider where an intent stands now. */
  retrieveIntent(reference: string): Promise<ProviderIntent>;
  /**
   * Cancels an intent not yet paid and returns it as it now stands: `canceled`, or `succeeded`
   * when it was paid before the cancellation arrived (the caller must then refund, not forget).
   * @throws PaymentError PAYMENT_NOT_CANCELLABLE while the provider is still processing it.
   */
  cancelIntent(reference: string): Promise<ProviderIntent>;
  /** Refunds a succeeded intent in full; a repeat with the same key refunds nothing more. */
  refundIntent(reference: string, idempotencyKey: string): Promise<void>;
}

/**
 * The providers this process can reach. New payments go to `current`; an existing payment is
 * cancelled, refunded or reconciled with the provider that took it, so the demo's local payments
 * can still be refunded when the service runs on Stripe.
 */
export interface PaymentProviders {
  /** The provider new payments go to. */
  readonly current: PaymentProvider;
  /** Every provider this process can reach, the current one first. */
  readonly all: readonly PaymentProvider[];
  /**
   * The provider called `name`.
   * @throws PaymentError PAYMENT_PROVIDER_NOT_CONFIGURED when this process has none by that name.
   */
  of(name: PaymentProviderName): PaymentProvider;
}
