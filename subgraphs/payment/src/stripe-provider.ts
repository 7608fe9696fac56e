import Stripe from 'stripe';
import { PaymentError } from './payment-error.js';
import type { PaymentProvider, ProviderIntent } from './payment-provider.js';

/** Where and as whom the Stripe provider calls Stripe. */
export interface StripeClientSettings {
  /** A secret or restricted key, `sk_test_…` or `sk_live_…`. */
  secretKey: string;
  /**
   * Another API base, such as stripe-mock's `http://127.0.0.1:12111`.
   * @default https://api.stripe.com
   */
  apiBase?: string | undefined;
}

/** The Stripe provider, with its client (tests listen to its requests). */
export interface StripePaymentProvider extends PaymentProvider {
  readonly name: 'stripe';
  readonly client: Stripe;
}

/**
 * Creates a Stripe client. The API version is pinned so that a library upgrade cannot change the
 * shape of the objects this service reads without a code change.
 */
export function createStripeClient(settings: StripeClientSettings): Stripe {
  return new Stripe(settings.secretKey, {
    apiVersion: '2025-08-27.basil',
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    ...(settings.apiBase ? addressOf(settings.apiBase) : {}),
  });
}

/**
 * Takes payments through Stripe PaymentIntents, in minor units, with automatic payment methods:
 * the browser collects the card with the Payment Element and confirms with the client secret,
 * so no card data ever reaches this service. The registration id is the idempotency key.
 */
export function createStripeProvider(client: Stripe): StripePaymentProvider {
  const retrieveIntent = async (reference: string): Promise<ProviderIntent> =>
    toProviderIntent(await callStripe(() => client.paymentIntents.retrieve(reference)));
  return {
    name: 'stripe',
    client,
    retrieveIntent,
    async createIntent(request) {
      const intent = await callStripe(() =>
        client.paymentIntents.create(
          {
            amount: request.amount,
            currency: request.currency.toLowerCase(),
            automatic_payment_methods: { enabled: true },
            description: 'Module registration fee',
            metadata: { registrationId: request.registrationId, paymentId: request.paymentId },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      return toProviderIntent(intent);
    },
    async cancelIntent(reference) {
      try {
        const intent = await client.paymentIntents.cancel(reference);
        // A 2xx from /cancel means the intent is cancelled (Stripe's contract); the status is not
        // read from the body, so that a canned answer (stripe-mock) cannot say otherwise.
        return { ...toProviderIntent(intent), status: 'canceled' };
      } catch (error) {
        if (
          !(error instanceof Stripe.errors.StripeError) ||
          error.code !== 'payment_intent_unexpected_state'
        ) {
          throw toPaymentError(error);
        }
        // Already paid or already cancelled: Stripe refuses, and the intent itself is the answer.
        // Anything else (processing) cannot be cancelled yet; the command is tried again.
        const intent = await retrieveIntent(reference);
        if (intent.status === 'succeeded' || intent.status === 'canceled') return intent;
        throw new PaymentError(
          'PAYMENT_NOT_CANCELLABLE',
          'The payment intent is processing; it can be cancelled or refunded once it settles.',
        );
      }
    },
    async refundIntent(reference, idempotencyKey) {
      try {
        const refund = await client.refunds.create(
          { payment_intent: reference, reason: 'requested_by_customer' },
          { idempotencyKey },
        );
        if (refund.status === 'failed' || refund.status === 'canceled') {
          throw new PaymentError(
            'PAYMENT_PROVIDER_REFUSED',
            'Stripe did not carry out the refund.',
            {
              providerCode: refund.failure_reason ?? refund.status,
            },
          );
        }
      } catch (error) {
        // A refund made before (by an operator, or a repeat past the key's lifetime) is the goal.
        if (error instanceof Stripe.errors.StripeError && error.code === 'charge_already_refunded')
          return;
        throw toPaymentError(error);
      }
    },
  };
}

/**
 * Turns a Stripe PaymentIntent into the provider-neutral shape. A declined attempt leaves the
 * intent in `requires_payment_method` with a coded `last_payment_error`: that is a failure here,
 * as the `payment_intent.payment_failed` webhook says.
 */
export function toProviderIntent(intent: Stripe.PaymentIntent): ProviderIntent {
  const failureCode = intent.last_payment_error?.code || null;
  return {
    reference: intent.id,
    status: statusOf(intent.status, failureCode),
    clientSecret: intent.client_secret,
    failureCode,
  };
}

function statusOf(
  status: Stripe.PaymentIntent.Status,
  failureCode: string | null,
): ProviderIntent['status'] {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'canceled':
      return 'canceled';
    case 'processing':
    case 'requires_capture':
      return 'processing';
    case 'requires_payment_method':
      return failureCode ? 'failed' : 'requires_payment';
    case 'requires_action':
    case 'requires_confirmation':
      return 'requires_payment';
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}

async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toPaymentError(error);
  }
}

/**
 * Classifies a Stripe failure by its type, never its message. The Stripe error is not kept as
 * the cause: a card error carries the whole PaymentIntent, client secret included, and causes
 * get logged.
 */
function toPaymentError(error: unknown): PaymentError {
  if (error instanceof PaymentError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new PaymentError('PAYMENT_PROVIDER_UNAVAILABLE', 'The call to Stripe failed.');
  }
  const refused = ['StripeInvalidRequestError', 'StripeIdempotencyError', 'StripeCardError'];
  if (refused.includes(error.type)) {
    return new PaymentError(
      'PAYMENT_PROVIDER_REFUSED',
      `Stripe refused the request (${error.type}).`,
      {
        providerCode: error.code ?? error.type,
      },
    );
  }
  return new PaymentError(
    'PAYMENT_PROVIDER_UNAVAILABLE',
    `Stripe could not carry out the request (${error.type}, status ${error.statusCode ?? 'none'}).`,
    { providerCode: error.code ?? error.type },
  );
}

function addressOf(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}
