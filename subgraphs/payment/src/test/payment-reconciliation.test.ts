import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { createPaymentCommandHandler } from '../payment-command.handler.js';
import { PaymentError } from '../payment-error.js';
import type { PaymentProvider, PaymentProviders, ProviderIntent } from '../payment-provider.js';
import { reconcilePayments } from '../payment-reconciliation.js';
import {
  EXAMPLES,
  PAYMENT_DATABASE_URL,
  answersAbout,
  readPayments,
  requestPaymentCommand,
  requestPendingPayment as requestPayment,
  skipWithout,
  startPaymentHarness,
} from './payment-test-support.js';
import type { PaymentHarness } from './payment-test-support.js';

// Reconciliation asks the provider for the truth; the local provider keeps its intents in the
// database, so a test can change that truth behind the service's back.

describe('payment reconciliation', () => {
  let harness: PaymentHarness | undefined;
  before(async () => {
    if (!PAYMENT_DATABASE_URL) return;
    harness = await startPaymentHarness(PAYMENT_DATABASE_URL, { kind: 'local' });
  });
  after(() => harness?.stop());

  /** The harness, or a skip (a failure in CI) without DATABASE_URL_PAYMENT. */
  const use = (t: TestContext) =>
    harness ?? skipWithout(t, [['DATABASE_URL_PAYMENT', EXAMPLES.DATABASE_URL_PAYMENT]]);

  test("reconciliation applies the provider's truth to payments left waiting, the same way a confirmation would", async (t) => {
    const h = use(t);
    if (!h) return;
    const paid = await requestPayment(h);
    const fresh = await requestPayment(h);
    // The money arrived but its confirmation never reached the payment (a crash in between).
    await h.dataSource.query(
      `UPDATE local_payment_intents SET status = 'succeeded' WHERE id = ANY($1)`,
      [[paid.payment.reference, fresh.payment.reference]],
    );
    await h.dataSource.query(
      `UPDATE payments SET updated_at = now() - interval '1 hour' WHERE id = $1`,
      [paid.payment.id],
    );
    const providers = h.service.providers;

    const changed = await reconcilePayments({
      dataSource: h.dataSource,
      providers,
      logger: h.logs.logger,
      olderThanMinutes: 30,
      onCommitted: () => h.service.relay.nudge(),
    });
    const again = await reconcilePayments({
      dataSource: h.dataSource,
      providers,
      logger: h.logs.logger,
      olderThanMinutes: 30,
    });

    assert.deepEqual([changed, again], [1, 0]);
    await h.answers.waitFor(
      'PaymentSucceeded',
      (events) => answersAbout(events, paid.registrationId, 'PaymentSucceeded').length > 0,
    );
    assert.equal((await readPayments(h.dataSource, paid.registrationId))[0]!.status, 'SUCCEEDED');
    assert.equal(
      (await readPayments(h.dataSource, fresh.registrationId))[0]!.status,
      'REQUIRES_PAYMENT',
      'a payment waiting less long is left alone',
    );
  });

  test('reconciliation fails a payment the provider declined and cancels one it cancelled', async (t) => {
    const h = use(t);
    if (!h) return;
    const declined = await requestPayment(h);
    const cancelled = await requestPayment(h);
    const truth = new Map<string, ProviderIntent>([
      [declined.payment.reference!, intent(declined.payment.reference!, 'failed', 'expired_card')],
      [cancelled.payment.reference!, intent(cancelled.payment.reference!, 'canceled', null)],
    ]);
    const local = h.service.providers.local;
    const stub: PaymentProvider = {
      ...local,
      retrieveIntent: async (reference) => truth.get(reference) ?? local.retrieveIntent(reference),
    };
    const providers: PaymentProviders = { current: stub, all: [stub], of: () => stub };

    await reconcilePayments({
      dataSource: h.dataSource,
      providers,
      logger: h.logs.logger,
      olderThanMinutes: 0,
      onCommitted: () => h.service.relay.nudge(),
    });

    await h.answers.waitFor(
      'PaymentFailed and PaymentCancelled',
      (events) =>
        answersAbout(events, declined.registrationId, 'PaymentFailed').length > 0 &&
        answersAbout(events, cancelled.registrationId, 'PaymentCancelled').length > 0,
    );
    const [failedRow] = await readPayments(h.dataSource, declined.registrationId);
    assert.deepEqual([failedRow!.status, failedRow!.failureReason], ['FAILED', 'expired_card']);
    assert.equal(
      (await readPayments(h.dataSource, cancelled.registrationId))[0]!.status,
      'CANCELLED',
    );
  });

  test('a payment request the provider could not take waits without an intent until reconciliation opens it', async (t) => {
    const h = use(t);
    if (!h) return;
    const registrationId = randomUUID();
    const local = h.service.providers.local;
    const down: PaymentProvider = {
      ...local,
      createIntent: async () => {
        throw new PaymentError('PAYMENT_PROVIDER_UNAVAILABLE', 'The provider is down.');
      },
    };
    const handle = createPaymentCommandHandler({
      providers: { current: down, all: [down], of: () => down },
      logger: h.logs.logger,
    });

    await h.dataSource.transaction((manager) =>
      handle(requestPaymentCommand(registrationId), manager),
    );
    const [waiting] = await readPayments(h.dataSource, registrationId);
    await reconcilePayments({
      dataSource: h.dataSource,
      providers: h.service.providers,
      logger: h.logs.logger,
      onCommitted: () => h.service.relay.nudge(),
    });

    assert.deepEqual([waiting!.status, waiting!.reference], ['REQUIRES_PAYMENT', null]);
    await h.answers.waitFor(
      'PaymentPending',
      (events) => answersAbout(events, registrationId, 'PaymentPending').length > 0,
    );
    const [opened] = await readPayments(h.dataSource, registrationId);
    assert.match(opened!.reference ?? '', /^pi_local_/);
    const [intent] = await h.dataSource.query(
      `SELECT id FROM local_payment_intents WHERE idempotency_key = $1`,
      [registrationId],
    );
    assert.equal(intent.id, opened!.reference);
  });
});

function intent(
  reference: string,
  status: ProviderIntent['status'],
  failureCode: string | null,
): ProviderIntent {
  return { reference, status, failureCode, clientSecret: null };
}
