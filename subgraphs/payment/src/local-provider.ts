import { queryRows } from '@registrar/platform';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { PaymentError } from './payment-error.js';
import type { PaymentProvider, ProviderIntent } from './payment-provider.js';

/** What a test card does when the local provider confirms with it. */
export type LocalCardOutcome = 'succeeded' | 'card_declined';

/** The cards the local provider accepts: Stripe's test cards for success and a generic decline. */
export const LOCAL_TEST_CARDS: Readonly<Record<string, LocalCardOutcome>> = {
  '4242424242424242': 'succeeded',
  '4000000000000002': 'card_declined',
};

/**
 * Tells what a test card does, ignoring the spaces and dashes people type; `undefined` for any
 * other number. The number is only looked up: callers must neither store nor log it.
 */
export function outcomeOfTestCard(cardNumber: string): LocalCardOutcome | undefined {
  const digits = cardNumber.replace(/[\s-]/g, '');
  return Object.hasOwn(LOCAL_TEST_CARDS, digits) ? LOCAL_TEST_CARDS[digits] : undefined;
}

/** The local provider, which also confirms its intents (Stripe's browser side, here). */
export interface LocalPaymentProvider extends PaymentProvider {
  readonly name: 'local';
  /**
   * Confirms an intent with a test card's outcome inside the caller's transaction, as Stripe's
   * test mode would: success settles it, a decline leaves it waiting for another attempt with
   * `card_declined` as its last error. Returns the intent as it now stands (unchanged when it was
   * no longer waiting).
   */
  confirmIntent(
    manager: EntityManager,
    reference: string,
    outcome: LocalCardOutcome,
  ): Promise<ProviderIntent>;
}

interface LocalIntentRow {
  id: string;
  amount: number;
  currency: string;
  status: 'requires_payment_method' | 'processing' | 'succeeded' | 'canceled';
  lastErrorCode: string | null;
}

const COLUMNS = `id, amount, currency, status, last_error_code AS "lastErrorCode"`;

/**
 * The embedded default's stand-in for Stripe: intents live in the Payment database and behave
 * like Stripe's test mode, with the same idempotency and the same states. It takes no money and
 * is meant for a single node; the service says so in a warning at start.
 */
export function createLocalProvider(dataSource: DataSource): LocalPaymentProvider {
  const findIntent = async (manager: EntityManager, reference: string) => {
    const [row] = await queryRows<LocalIntentRow>(
      manager,
      `SELECT ${COLUMNS} FROM local_payment_intents WHERE id = $1`,
      [reference],
    );
    if (!row) {
      throw new PaymentError('PAYMENT_PROVIDER_REFUSED', 'No local payment intent has this id.', {
        providerCode: 'resource_missing',
      });
    }
    return row;
  };

  return {
    name: 'local',
    async createIntent(request) {
      const manager = dataSource.manager;
      await manager.query(
        `INSERT INTO local_payment_intents (id, idempotency_key, amount, currency, status)
         VALUES ($1, $2, $3, $4, 'requires_payment_method')
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [newIntentId(), request.idempotencyKey, request.amount, request.currency],
      );
      const [row] = await queryRows<LocalIntentRow>(
        manager,
        `SELECT ${COLUMNS} FROM local_payment_intents WHERE idempotency_key = $1`,
        [request.idempotencyKey],
      );
      // Stripe refuses a key reused with other parameters; so does its stand-in.
      if (!row || row.amount !== request.amount || row.currency !== request.currency) {
        throw new PaymentError(
          'PAYMENT_PROVIDER_REFUSED',
          'The idempotency key was used before with another amount or currency.',
          { providerCode: 'idempotency_key_in_use' },
        );
      }
      return toProviderIntent(row);
    },
    async retrieveIntent(reference) {
      return toProviderIntent(await findIntent(dataSource.manager, reference));
    },
    async cancelIntent(reference) {
      const [cancelled] = await queryRows<LocalIntentRow>(
        dataSource.manager,
        `UPDATE local_payment_intents SET status = 'canceled', updated_at = now()
         WHERE id = $1 AND status = 'requires_payment_method' RETURNING ${COLUMNS}`,
        [reference],
      );
      const row = cancelled ?? (await findIntent(dataSource.manager, reference));
      if (row.status === 'processing') {
        throw new PaymentError(
          'PAYMENT_NOT_CANCELLABLE',
          'The payment intent is processing; it can be cancelled or refunded once it settles.',
        );
      }
      return toProviderIntent(row);
    },
    async refundIntent(reference) {
      // One refund per intent, in full: a repeat finds it refunded and changes nothing.
      const row = await findIntent(dataSource.manager, reference);
      if (row.status !== 'succeeded') {
        throw new PaymentError('PAYMENT_PROVIDER_REFUSED', 'Only a succeeded intent is refunded.', {
          providerCode: 'charge_not_refundable',
        });
      }
      await dataSource.query(`UPDATE local_payment_intents SET refunded = true WHERE id = $1`, [
        reference,
      ]);
    },
    async confirmIntent(manager, reference, outcome) {
      const [confirmed] = await queryRows<LocalIntentRow>(
        manager,
        `UPDATE local_payment_intents
         SET status = $2, last_error_code = $3, updated_at = now()
         WHERE id = $1 AND status = 'requires_payment_method' RETURNING ${COLUMNS}`,
        [
          reference,
          outcome === 'succeeded' ? 'succeeded' : 'requires_payment_method',
          outcome === 'succeeded' ? null : outcome,
        ],
      );
      return toProviderIntent(confirmed ?? (await findIntent(manager, reference)));
    },
  };
}

function toProviderIntent(row: LocalIntentRow): ProviderIntent {
  const status =
    row.status === 'requires_payment_method'
      ? row.lastErrorCode
        ? 'failed'
        : 'requires_payment'
      : row.status;
  return { reference: row.id, status, clientSecret: null, failureCode: row.lastErrorCode };
}

function newIntentId(): string {
  return `pi_local_${randomBytes(12).toString('hex')}`;
}
