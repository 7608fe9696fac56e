import { TOPICS, startServiceEventing } from '@registrar/events';
import type { OutboxRelay, ServiceEvents } from '@registrar/events';
import { invariant, startSubgraphService } from '@registrar/platform';
import type {
  Logger,
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { createConfirmationTokens } from './confirmation-token.js';
import type { ConfirmationTokens } from './confirmation-token.js';
import { mountLocalConfirmation } from './local-confirm.route.js';
import { CreatePayments1764720400000 } from './migrations/1764720400000-create-payments.js';
import { CreatePaymentSaga1764720600000 } from './migrations/1764720600000-create-payment-saga.js';
import {
  PAYMENT_COMMAND_CONSUMER,
  createPaymentCommandHandler,
} from './payment-command.handler.js';
import { createPaymentLedger } from './payment-ledger.js';
import { DEV_WEBHOOK_SECRET, createPaymentProviders } from './payment-providers.js';
import type { ConfiguredProviders, PaymentProviderSettings } from './payment-providers.js';
import { startPaymentReconciliation } from './payment-reconciliation.js';
import type { PaymentReconciliation, ReconciliationSettings } from './payment-reconciliation.js';
import { createPaymentContext } from './payment.context.js';
import type { PaymentContext } from './payment.context.js';
import { PaymentEntity } from './payment.entity.js';
import { buildPaymentSchema } from './payment.schema.js';
import { seedPayments } from './payment.seed.js';
import { mountStripeWebhook } from './stripe-webhook.route.js';

/** What the running service adds to its subgraph: the routes that take the provider's word. */
export interface PaymentSubgraphRuntime {
  /** Issues the local provider's confirmation tokens; absent when Stripe takes payments. */
  confirmationTokens?: ConfirmationTokens | undefined;
  /** Mounts the webhook or the local confirmation once the database is open. */
  mountRoutes?(app: Express, dataSource: DataSource): void;
}

/**
 * The Payment subgraph: fees owed and paid, with no card data ever stored. Without a runtime it
 * only serves the schema (composition, a lone subgraph process): no webhook, no confirmation,
 * and commands wait in `payment.commands` until a full service runs.
 */
export function createPaymentSubgraph(
  runtime: PaymentSubgraphRuntime = {},
): SubgraphDefinition<PaymentContext> {
  return {
    name: 'payment',
    entities: [PaymentEntity],
    migrations: [CreatePayments1764720400000, CreatePaymentSaga1764720600000],
    buildSchema: buildPaymentSchema,
    seed: seedPayments,
    createContextFactory(dataSource) {
      const ledger = createPaymentLedger(dataSource);
      return (base) => createPaymentContext(base, ledger, runtime.confirmationTokens);
    },
    ...(runtime.mountRoutes ? { mountRoutes: runtime.mountRoutes } : {}),
  };
}

/** The definition that only serves the schema; see {@link createPaymentSubgraph}. */
export const paymentSubgraph = createPaymentSubgraph();

/** Options of {@link startPaymentService}. */
export interface PaymentServiceOptions extends SubgraphServiceOptions {
  /** The bus, the Payment service's signer, and the keys of the producers it takes commands from. */
  events: ServiceEvents;
  /** Which provider takes new payments; see `selectPaymentProvider`. */
  provider: PaymentProviderSettings;
  /** When and how often payments left waiting are reconciled with the provider. */
  reconciliation?: ReconciliationSettings;
}

/** A running Payment service with its commands, routes and reconciliation. */
export interface PaymentService extends SubgraphService {
  /** Publishes the service's outbox (tests drain it). */
  relay: OutboxRelay;
  providers: ConfiguredProviders;
  reconciliation: PaymentReconciliation;
}

/**
 * Opens the Payment database (migrating it), seeds it if asked, and serves the subgraph with the
 * provider's routes beside it: `POST /webhooks/stripe` for Stripe, `POST /payments/local/confirm`
 * for the local provider. Then takes the saga's commands from `payment.commands` (answering on
 * `payment.events` through the outbox) and reconciles payments left waiting. Stopping goes in
 * reverse: reconciliation, the command consumer and relay, then the subgraph.
 */
export async function startPaymentService(options: PaymentServiceOptions): Promise<PaymentService> {
  const logger = options.logger.child({ subgraph: 'payment' });
  const settings = options.provider;
  const confirmationTokens = settings.kind === 'local' ? createConfirmationTokens() : undefined;
  let nudge = (): void => undefined;
  let providers: ConfiguredProviders | undefined;
  const service = await startSubgraphService(
    createPaymentSubgraph({
      confirmationTokens,
      mountRoutes(app, dataSource) {
        providers = createPaymentProviders(settings, dataSource);
        mountProviderRoutes(
          app,
          { providers, settings, confirmationTokens, dataSource, logger },
          () => nudge(),
        );
      },
    }),
    options,
  );
  try {
    invariant(providers, 'the subgraph mounts its routes while it starts');
    warnAboutSettings(settings, logger);
    const eventing = await startServiceEventing({
      dataSource: service.dataSource,
      events: options.events,
      logger,
      consumer: PAYMENT_COMMAND_CONSUMER,
      topics: [TOPICS.paymentCommands],
      handle: createPaymentCommandHandler({ providers, logger }),
    });
    nudge = () => eventing.relay.nudge();
    const reconciliation = startPaymentReconciliation({
      ...options.reconciliation,
      dataSource: service.dataSource,
      providers,
      logger,
      onCommitted: nudge,
    });
    // Stopping twice (an operator's signal during a test's own stop) must not fail.
    let stopped: Promise<void> | undefined;
    return {
      ...service,
      relay: eventing.relay,
      providers,
      reconciliation,
      stop() {
        stopped ??= reconciliation
          .stop()
          .then(() => eventing.stop())
          .then(() => service.stop());
        return stopped;
      },
    };
  } catch (error) {
    await service.stop();
    throw error;
  }
}

interface ProviderRoutesInput {
  providers: ConfiguredProviders;
  settings: PaymentProviderSettings;
  confirmationTokens: ConfirmationTokens | undefined;
  dataSource: DataSource;
  logger: Logger;
}

function mountProviderRoutes(app: Express, input: ProviderRoutesInput, onCommitted: () => void) {
  const { providers, settings, dataSource, logger } = input;
  if (settings.kind === 'stripe' && providers.stripe) {
    mountStripeWebhook(app, {
      client: providers.stripe.client,
      webhookSecret: settings.webhookSecret,
      dataSource,
      logger,
      onCommitted,
    });
  }
  if (input.confirmationTokens) {
    mountLocalConfirmation(app, {
      provider: providers.local,
      tokens: input.confirmationTokens,
      dataSource,
      logger,
      onCommitted,
    });
  }
}

function warnAboutSettings(settings: PaymentProviderSettings, logger: Logger): void {
  if (settings.kind === 'stripe') {
    if (settings.webhookSecret === DEV_WEBHOOK_SECRET) {
      logger.warn(
        { provider: 'stripe' },
        "Stripe webhooks are verified with the development secret; set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret",
      );
    }
    return;
  }
  logger.warn(
    { provider: 'local' },
    'payments use the local provider, which is NOT a real payment provider: it moves no money and accepts only test cards; set STRIPE_SECRET_KEY to use Stripe',
  );
}
