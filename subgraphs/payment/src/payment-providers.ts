import { ConfigError } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import { createLocalProvider } from './local-provider.js';
import type { LocalPaymentProvider } from './local-provider.js';
import { PaymentError } from './payment-error.js';
import type { PaymentProvider, PaymentProviders } from './payment-provider.js';
import { createStripeClient, createStripeProvider } from './stripe-provider.js';
import type { StripePaymentProvider } from './stripe-provider.js';

/** The webhook signing secret of development and CI, where Stripe itself never calls. */
export const DEV_WEBHOOK_SECRET = 'whsec_registrar_dev';

/** Which provider takes new payments, and how to reach it. */
export type PaymentProviderSettings =
  | {
      /** The embedded default's stand-in: test cards only, no money moves. */
      kind: 'local';
    }
  | {
      kind: 'stripe';
      /** `sk_test_…` or `sk_live_…`. */
      secretKey: string;
      /** Another API base, such as stripe-mock's. @default https://api.stripe.com */
      apiBase?: string | undefined;
      /** The webhook endpoint's signing secret, `whsec_…`. */
      webhookSecret: string;
    };

/** The configuration {@link selectPaymentProvider} reads, as the system's config names it. */
export interface PaymentProviderConfig {
  /** Forces a provider; by default Stripe when `STRIPE_SECRET_KEY` is set, else local. */
  PAYMENT_PROVIDER?: 'local' | 'stripe' | undefined;
  STRIPE_SECRET_KEY?: string | undefined;
  STRIPE_API_BASE?: string | undefined;
  /** @default {@link DEV_WEBHOOK_SECRET} */
  STRIPE_WEBHOOK_SECRET?: string | undefined;
}

/**
 * Chooses the payment provider from the configuration: Stripe when `STRIPE_SECRET_KEY` is set
 * (unless `PAYMENT_PROVIDER=local`), else the local provider.
 *
 * @throws ConfigError naming the variable when `PAYMENT_PROVIDER=stripe` has no secret key, or a
 * live key would accept webhooks signed with the development secret.
 */
export function selectPaymentProvider(config: PaymentProviderConfig): PaymentProviderSettings {
  const secretKey = config.STRIPE_SECRET_KEY?.trim();
  if (config.PAYMENT_PROVIDER === 'local' || (!secretKey && config.PAYMENT_PROVIDER !== 'stripe')) {
    return { kind: 'local' };
  }
  if (!secretKey) {
    throw new ConfigError(
      'PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY (sk_test_… or sk_live_…).',
    );
  }
  const webhookSecret = config.STRIPE_WEBHOOK_SECRET?.trim() || DEV_WEBHOOK_SECRET;
  if (/^[rs]k_live_/.test(secretKey) && webhookSecret === DEV_WEBHOOK_SECRET) {
    throw new ConfigError(
      "STRIPE_WEBHOOK_SECRET must be the webhook endpoint's own signing secret when STRIPE_SECRET_KEY is a live key.",
    );
  }
  return { kind: 'stripe', secretKey, apiBase: config.STRIPE_API_BASE, webhookSecret };
}

/** The providers of a running service: the local one always, Stripe when configured. */
export interface ConfiguredProviders extends PaymentProviders {
  readonly local: LocalPaymentProvider;
  readonly stripe: StripePaymentProvider | undefined;
}

/**
 * Creates the providers. The local provider is always there (its intents live in the Payment
 * database), so the demo's local payments can be refunded when the service runs on Stripe; it
 * takes new payments only when the settings say `local`.
 */
export function createPaymentProviders(
  settings: PaymentProviderSettings,
  dataSource: DataSource,
): ConfiguredProviders {
  const local = createLocalProvider(dataSource);
  const stripe =
    settings.kind === 'stripe'
      ? createStripeProvider(
          createStripeClient({ secretKey: settings.secretKey, apiBase: settings.apiBase }),
        )
      : undefined;
  const current: PaymentProvider = stripe ?? local;
  const all: PaymentProvider[] = stripe ? [stripe, local] : [local];
  return {
    current,
    all,
    local,
    stripe,
    of(name) {
      const provider = all.find((candidate) => candidate.name === name);
      if (!provider) {
        throw new PaymentError(
          'PAYMENT_PROVIDER_NOT_CONFIGURED',
          `The payment was taken by ${name}, which this service is not configured for.`,
        );
      }
      return provider;
    },
  };
}
