import { randomUUID } from 'node:crypto';
import type { Logger } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import { openIntent } from './payment-commands.js';
import type { PaymentProviders, ProviderIntent } from './payment-provider.js';
import { applyProviderStatus, lockPayment } from './payment-status.js';
import type { PaymentProviderName } from './payment.entity.js';

/** How reconciliation runs. */
export interface ReconciliationSettings {
  /**
   * How long a payment may wait on the provider (REQUIRES_PAYMENT or PROCESSING, since its last
   * change) before the provider is asked about it. @default 10
   */
  olderThanMinutes?: number;
  /** How often the running service reconciles. @default 60_000 */
  intervalMs?: number;
  /** Payments asked about per round. @default 100 */
  batchSize?: number;
}

/** Options of {@link reconcilePayments}. */
export interface ReconcilePaymentsOptions extends ReconciliationSettings {
  dataSource: DataSource;
  providers: PaymentProviders;
  logger: Logger;
  /** Runs after a round that changed something, so the relay publishes at once. */
  onCommitted?: () => void;
}

/** The scheduled reconciliation of a running service. */
export interface PaymentReconciliation {
  /** Reconciles once now; returns how many payments changed. */
  reconcileNow(): Promise<number>;
  stop(): Promise<void>;
}

/** The default minutes a payment waits before reconciliation asks the provider about it. */
export const DEFAULT_RECONCILE_AFTER_MINUTES = 10;

/** The default interval between reconciliation rounds of a running service. */
export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;

interface WaitingPayment {
  id: string;
  provider: PaymentProviderName;
  reference: string;
}

/**
 * Settles what is stuck. First it opens the intents that an unreachable provider kept the
 * payment requests from opening. Then it settles what a lost webhook (or an unfinished
 * confirmation) left waiting: asks the provider where each payment left REQUIRES_PAYMENT or
 * PROCESSING for too long stands, and applies succeeded, failed or canceled exactly as the
 * webhook would, through the same function. The provider is asked outside any transaction; each
 * payment is then locked and applied on its own, so one unreachable intent does not hold up the
 * rest.
 *
 * @returns how many payments changed (an intent opened counts as a change).
 */
export async function reconcilePayments(options: ReconcilePaymentsOptions): Promise<number> {
  const opened = await openMissingIntents(options);
  const waiting = await findWaitingPayments(options);
  let changed = opened;
  for (const payment of waiting) {
    let intent: ProviderIntent;
    try {
      intent = await options.providers.of(payment.provider).retrieveIntent(payment.reference);
    } catch (error) {
      options.logger.warn(
        { paymentId: payment.id, code: (error as { code?: unknown }).code },
        'reconciliation could not ask the provider about a payment; trying next round',
      );
      continue;
    }
    if (await applyReconciled(options.dataSource, payment.id, intent)) changed += 1;
  }
  if (changed > 0) {
    options.logger.info({ changed, asked: waiting.length }, 'payments reconciled');
    options.onCommitted?.();
  }
  return changed;
}

/** Starts reconciling on a timer; a failed round is logged and the next one tries again. */
export function startPaymentReconciliation(
  options: ReconcilePaymentsOptions,
): PaymentReconciliation {
  let stopped = false;
  let running: Promise<number> | undefined;
  const reconcileNow = async (): Promise<number> => {
    while (running) await running.catch(() => 0);
    running = reconcilePayments(options);
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  const tick = (): void => {
    if (stopped || running) return;
    reconcileNow().catch((error: unknown) =>
      options.logger.warn({ err: error }, 'payment reconciliation round failed; retrying later'),
    );
  };
  const timer = setInterval(tick, options.intervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS);
  timer.unref();
  return {
    reconcileNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}

async function openMissingIntents(options: ReconcilePaymentsOptions): Promise<number> {
  const missing: Array<{ id: string }> = await options.dataSource.query(
    `SELECT id FROM payments
     WHERE status = 'REQUIRES_PAYMENT' AND provider_reference IS NULL AND provider = ANY($1)
     ORDER BY created_at LIMIT $2`,
    [options.providers.all.map((provider) => provider.name), options.batchSize ?? 100],
  );
  let opened = 0;
  for (const { id } of missing) {
    const changed = await options.dataSource.transaction(async (manager) => {
      const payment = await lockPayment(manager, { id });
      if (!payment || payment.status !== 'REQUIRES_PAYMENT' || payment.providerReference) {
        return false;
      }
      const lineage = { correlationId: `reconcile:${randomUUID()}` };
      await openIntent(manager, payment, lineage, options);
      return payment.providerReference !== null || payment.status !== 'REQUIRES_PAYMENT';
    });
    if (changed) opened += 1;
  }
  return opened;
}

function findWaitingPayments(options: ReconcilePaymentsOptions): Promise<WaitingPayment[]> {
  return options.dataSource.query(
    `SELECT id, provider, provider_reference AS reference FROM payments
     WHERE status IN ('REQUIRES_PAYMENT', 'PROCESSING') AND provider_reference IS NOT NULL
       AND provider = ANY($1) AND updated_at < now() - $2::float8 * interval '1 minute'
     ORDER BY updated_at LIMIT $3`,
    [
      options.providers.all.map((provider) => provider.name),
      options.olderThanMinutes ?? DEFAULT_RECONCILE_AFTER_MINUTES,
      options.batchSize ?? 100,
    ],
  );
}

function applyReconciled(
  dataSource: DataSource,
  paymentId: string,
  intent: ProviderIntent,
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const payment = await lockPayment(manager, { id: paymentId });
    if (!payment) return false;
    const changed = await applyProviderStatus(manager, payment, intent, {
      cause: 'reconciliation',
      lineage: { correlationId: `reconcile:${randomUUID()}` },
    });
    return changed !== undefined;
  });
}
