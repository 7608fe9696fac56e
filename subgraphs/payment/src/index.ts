export { createPaymentSubgraph, paymentSubgraph, startPaymentService } from './payment.service.js';
export type {
  PaymentService,
  PaymentServiceOptions,
  PaymentSubgraphRuntime,
} from './payment.service.js';
export { buildPaymentSchema } from './payment.schema.js';
export {
  DEV_WEBHOOK_SECRET,
  createPaymentProviders,
  selectPaymentProvider,
} from './payment-providers.js';
export type {
  ConfiguredProviders,
  PaymentProviderConfig,
  PaymentProviderSettings,
} from './payment-providers.js';
export type {
  CreateIntentRequest,
  IntentStatus,
  PaymentProvider,
  PaymentProviders,
  ProviderIntent,
} from './payment-provider.js';
export { createStripeClient, createStripeProvider } from './stripe-provider.js';
export type { StripeClientSettings, StripePaymentProvider } from './stripe-provider.js';
export { LOCAL_TEST_CARDS, createLocalProvider, outcomeOfTestCard } from './local-provider.js';
export type { LocalCardOutcome, LocalPaymentProvider } from './local-provider.js';
export { CONFIRMATION_TOKEN_SECONDS, createConfirmationTokens } from './confirmation-token.js';
export type { ConfirmationTokens } from './confirmation-token.js';
export {
  PAYMENT_COMMAND_CONSUMER,
  createPaymentCommandHandler,
} from './payment-command.handler.js';
export { paymentIdOf } from './payment-commands.js';
export { PAYMENT_ERROR_CODES, PaymentError } from './payment-error.js';
export type { PaymentErrorCode } from './payment-error.js';
export { PAYMENT_HTTP_ERROR_CODES } from './http-errors.js';
export type { PaymentHttpErrorCode } from './http-errors.js';
export { PAYMENT_PRODUCER } from './payment-events.js';
export {
  STRIPE_WEBHOOK_PATH,
  WEBHOOK_TOLERANCE_SECONDS,
  applyStripeEvent,
} from './stripe-webhook.route.js';
export { LOCAL_CONFIRM_PATH } from './local-confirm.route.js';
export {
  DEFAULT_RECONCILE_AFTER_MINUTES,
  DEFAULT_RECONCILE_INTERVAL_MS,
  reconcilePayments,
  startPaymentReconciliation,
} from './payment-reconciliation.js';
export type {
  PaymentReconciliation,
  ReconcilePaymentsOptions,
  ReconciliationSettings,
} from './payment-reconciliation.js';
export { applyProviderStatus } from './payment-status.js';
export type { ObservedIntent, StatusSource } from './payment-status.js';
