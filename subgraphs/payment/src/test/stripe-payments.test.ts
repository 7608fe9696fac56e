import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { TOPICS } from '@registrar/events';
import type Stripe from 'stripe';
import { reconcilePayments } from '../payment-reconciliation.js';
import {
  EXAMPLES,
  PAYMENT_DATABASE_URL,
  STRIPE_TEST_SETTINGS,
  TEST_WEBHOOK_SECRET,
  answersAbout,
  cancelPaymentCommand,
  readHistory,
  readPayments,
  requestPaymentCommand,
  requestPendingPayment,
  skipWithout,
  startPaymentHarness,
  studentViewer,
} from './payment-test-support.js';
import type { PaymentHarness, PendingPayment } from './payment-test-support.js';

// stripe-mock answers with canned objects and keeps no state: it cannot tell the service that an
// intent was paid. So intents are created through it, and their fate is told the way Stripe
// tells it, by signed webhooks naming the intent the service stored.

describe('the Payment service with Stripe', () => {
  let harness: PaymentHarness | undefined;
  /** Every request the service's Stripe client made. */
  const requests: Stripe.RequestEvent[] = [];
  before(async () => {
    if (!PAYMENT_DATABASE_URL || !STRIPE_TEST_SETTINGS) return;
    harness = await startPaymentHarness(PAYMENT_DATABASE_URL, {
      kind: 'stripe',
      ...STRIPE_TEST_SETTINGS,
      webhookSecret: TEST_WEBHOOK_SECRET,
    });
    harness.service.providers.stripe!.client.on('request', (event) => requests.push(event));
  });
  after(() => harness?.stop());

  /** The harness, or a skip (a failure in CI) without the database and stripe-mock. */
  const use = (t: TestContext) =>
    harness ??
    skipWithout(t, [
      ['DATABASE_URL_PAYMENT', EXAMPLES.DATABASE_URL_PAYMENT],
      ['STRIPE_API_BASE', EXAMPLES.STRIPE_API_BASE],
      ['STRIPE_SECRET_KEY', EXAMPLES.STRIPE_SECRET_KEY],
    ]);

  /** A Stripe event about an intent, as Stripe would send it. */
  function stripeEvent(
    type: string,
    intentId: string,
    options: { failureCode?: string; id?: string } = {},
  ): string {
    return JSON.stringify({
      id: options.id ?? `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type,
      api_version: '2025-08-27.basil',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: intentId,
          object: 'payment_intent',
          status: type === 'payment_intent.succeeded' ? 'succeeded' : 'requires_payment_method',
          last_payment_error: options.failureCode
            ? { type: 'card_error', code: options.failureCode }
            : null,
        },
      },
    });
  }

  /** Signs a payload as Stripe does, with the SDK's own test helper. */
  function sign(
    h: PaymentHarness,
    payload: string,
    options: { timestamp?: number; secret?: string } = {},
  ) {
    return h.service.providers.stripe!.client.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? TEST_WEBHOOK_SECRET,
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    });
  }

  /** POSTs a payload to the webhook, signed as given (by default, correctly). */
  async function deliver(h: PaymentHarness, payload: string, signature = sign(h, payload)) {
    const response = await fetch(`${h.baseUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  async function statusOf(h: PaymentHarness, pending: PendingPayment): Promise<string> {
    return (await readPayments(h.dataSource, pending.registrationId))[0]!.status;
  }

  test('a payment request creates one Stripe intent with the registration id as idempotency key, however often it is asked', async (t) => {
    const h = use(t);
    if (!h) return;
    const command = requestPaymentCommand();
    const registrationId = (command.payload as { registrationId: string }).registrationId;
    const bytes = await h.sign(command);

    await h.bus.publish(TOPICS.paymentCommands, [
      { key: command.key, value: bytes },
      { key: command.key, value: bytes },
    ]);
    await h.send([requestPaymentCommand(registrationId)]);
    await requestPendingPayment(h);

    const payments = await readPayments(h.dataSource, registrationId);
    assert.equal(payments.length, 1);
    assert.equal(payments[0]!.provider, 'stripe');
    assert.match(payments[0]!.reference ?? '', /^pi_/);
    assert.match(payments[0]!.clientSecret ?? '', /_secret_/);
    const creations = requests.filter(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v1/payment_intents' &&
        r.idempotency_key === registrationId,
    );
    assert.equal(creations.length, 1);
    assert.equal(answersAbout(h.answers.events, registrationId).length, 1, 'one PaymentPending');
  });

  test('the owner reads the client secret of a waiting payment, and nobody reads it once it is paid', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    const query = `{ payment(id: "${pending.payment.id}") { status clientSecret confirmationToken } }`;

    const waiting = await h.graphql(studentViewer(pending.studentId), query);
    await deliver(h, stripeEvent('payment_intent.succeeded', pending.payment.reference!));
    const paid = await h.graphql(studentViewer(pending.studentId), query);

    assert.deepEqual(waiting.data?.['payment'], {
      status: 'REQUIRES_PAYMENT',
      clientSecret: pending.payment.clientSecret,
      confirmationToken: null,
    });
    assert.deepEqual(paid.data?.['payment'], {
      status: 'SUCCEEDED',
      clientSecret: null,
      confirmationToken: null,
    });
    assert.equal((await readPayments(h.dataSource, pending.registrationId))[0]!.clientSecret, null);
  });

  test('a webhook whose signature does not verify is refused with 400 and changes nothing', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    const payload = stripeEvent('payment_intent.succeeded', pending.payment.reference!);
    const recorded = () => h.dataSource.query(`SELECT count(*)::int AS n FROM stripe_events`);
    const before = await recorded();

    const answers = [
      await deliver(h, payload, sign(h, payload, { secret: 'whsec_someone_else' })),
      await deliver(h, payload.replace('"livemode":false', '"livemode":true '), sign(h, payload)),
      await deliver(h, payload, 'garbage'),
    ];

    assert.deepEqual(
      answers.map((answer) => [answer.status, answer.body['error']?.code]),
      Array(3).fill([400, 'WEBHOOK_SIGNATURE_INVALID']),
    );
    assert.ok(answers.every((answer) => answer.body['error'].stack === undefined));
    assert.equal(await statusOf(h, pending), 'REQUIRES_PAYMENT');
    assert.deepEqual(await recorded(), before, 'no event id is recorded');
  });

  test('a webhook body over 1 MB is refused with 413, as typed JSON', async (t) => {
    const h = use(t);
    if (!h) return;
    const payload = JSON.stringify({ padding: 'x'.repeat(1_100_000) });

    const answer = await deliver(h, payload);

    assert.equal(answer.status, 413);
    assert.deepEqual(Object.keys(answer.body['error']).sort(), ['code', 'message']);
    assert.equal(answer.body['error'].code, 'BODY_TOO_LARGE');
  });

  test('a webhook signed an hour ago is refused with 400 as outside the tolerance', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    const payload = stripeEvent('payment_intent.succeeded', pending.payment.reference!);
    const timestamp = Math.floor(Date.now() / 1000) - 3600;

    const answer = await deliver(h, payload, sign(h, payload, { timestamp }));

    assert.equal(answer.status, 400);
    assert.equal(answer.body['error'].code, 'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE');
    assert.equal(await statusOf(h, pending), 'REQUIRES_PAYMENT');
  });

  test('a signed payment_intent.succeeded confirms the payment once, even when delivered twice', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    const payload = stripeEvent('payment_intent.succeeded', pending.payment.reference!);

    const first = await deliver(h, payload);
    const second = await deliver(h, payload);

    assert.deepEqual([first.status, second.status], [200, 200]);
    await h.answers.waitFor(
      'PaymentSucceeded',
      (events) => answersAbout(events, pending.registrationId, 'PaymentSucceeded').length > 0,
    );
    // A marker behind the second delivery's (absent) answer proves none is coming.
    await requestPendingPayment(h);
    assert.equal(
      answersAbout(h.answers.events, pending.registrationId, 'PaymentSucceeded').length,
      1,
    );
    assert.deepEqual(await readHistory(h.dataSource, pending.payment.id), [
      '∅→REQUIRES_PAYMENT',
      'REQUIRES_PAYMENT→SUCCEEDED',
    ]);
  });

  test('an event id acts once: a later delivery under the same id is ignored, whatever it says', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    const reference = pending.payment.reference!;
    const id = `evt_${randomUUID().replaceAll('-', '')}`;

    await deliver(
      h,
      stripeEvent('payment_intent.payment_failed', reference, { id, failureCode: 'card_declined' }),
    );
    const reused = await deliver(h, stripeEvent('payment_intent.succeeded', reference, { id }));

    assert.equal(reused.status, 200);
    assert.equal(await statusOf(h, pending), 'FAILED');
  });

  test('a failure, then a success of the retried intent, ends SUCCEEDED; a failure after the success changes nothing', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    const reference = pending.payment.reference!;

    await deliver(
      h,
      stripeEvent('payment_intent.payment_failed', reference, { failureCode: 'card_declined' }),
    );
    await deliver(h, stripeEvent('payment_intent.succeeded', reference));
    await deliver(
      h,
      stripeEvent('payment_intent.payment_failed', reference, { failureCode: 'expired_card' }),
    );
    await deliver(h, stripeEvent('payment_intent.canceled', reference));

    assert.equal(await statusOf(h, pending), 'SUCCEEDED');
    await h.answers.waitFor(
      'PaymentFailed then PaymentSucceeded',
      (events) => answersAbout(events, pending.registrationId, 'PaymentSucceeded').length > 0,
    );
    assert.deepEqual(
      answersAbout(h.answers.events, pending.registrationId).map((event) => event.type),
      ['PaymentPending', 'PaymentFailed', 'PaymentSucceeded'],
    );
    const [failed] = answersAbout(h.answers.events, pending.registrationId, 'PaymentFailed');
    assert.equal((failed!.payload as { reason: string }).reason, 'card_declined');
  });

  test('a payment_intent.canceled webhook cancels a waiting payment', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);

    const answer = await deliver(
      h,
      stripeEvent('payment_intent.canceled', pending.payment.reference!),
    );

    assert.equal(answer.status, 200);
    assert.equal(await statusOf(h, pending), 'CANCELLED');
    await h.answers.waitFor(
      'PaymentCancelled',
      (events) => answersAbout(events, pending.registrationId, 'PaymentCancelled').length > 0,
    );
  });

  test('an event of another type or about an intent that is not ours is acknowledged and changes nothing', async (t) => {
    const h = use(t);
    if (!h) return;
    const before = await h.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);

    const otherType = await deliver(h, stripeEvent('payment_intent.created', 'pi_notours123'));
    const notOurs = await deliver(h, stripeEvent('payment_intent.succeeded', 'pi_notours123'));

    assert.deepEqual([otherType.status, notOurs.status], [200, 200]);
    const after = await h.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    assert.equal(after[0].n, before[0].n);
  });

  test('cancelling a waiting payment cancels its intent at Stripe and answers PaymentCancelled', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);

    await h.send([cancelPaymentCommand(pending.registrationId, false)]);
    await h.answers.waitFor(
      'PaymentCancelled',
      (events) => answersAbout(events, pending.registrationId, 'PaymentCancelled').length > 0,
    );

    assert.equal(await statusOf(h, pending), 'CANCELLED');
    assert.ok(
      requests.some(
        (r) =>
          r.method === 'POST' &&
          r.path === `/v1/payment_intents/${pending.payment.reference}/cancel`,
      ),
    );
  });

  test('a paid payment cancelled with refund is refunded at Stripe, keyed by its registration', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    await deliver(h, stripeEvent('payment_intent.succeeded', pending.payment.reference!));

    await h.send([cancelPaymentCommand(pending.registrationId, true)]);
    await h.answers.waitFor(
      'PaymentCancelled',
      (events) => answersAbout(events, pending.registrationId, 'PaymentCancelled').length > 0,
    );

    const [cancelled] = answersAbout(h.answers.events, pending.registrationId, 'PaymentCancelled');
    assert.equal((cancelled!.payload as { refunded: boolean }).refunded, true);
    assert.equal(await statusOf(h, pending), 'REFUNDED');
    const refunds = requests.filter(
      (r) => r.path === '/v1/refunds' && r.idempotency_key === `refund:${pending.registrationId}`,
    );
    assert.equal(refunds.length, 1);
  });

  test('reconciliation asks Stripe about a payment left waiting and leaves it as Stripe says it is', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPendingPayment(h);
    await h.dataSource.query(
      `UPDATE payments SET updated_at = now() - interval '1 hour' WHERE id = $1`,
      [pending.payment.id],
    );

    const changed = await reconcilePayments({
      dataSource: h.dataSource,
      providers: h.service.providers,
      logger: h.logs.logger,
      olderThanMinutes: 30,
    });

    // stripe-mock's canned intent still waits for a payment method, with no error code.
    assert.equal(changed, 0);
    assert.ok(
      requests.some(
        (r) => r.method === 'GET' && r.path === `/v1/payment_intents/${pending.payment.reference}`,
      ),
    );
    assert.equal(await statusOf(h, pending), 'REQUIRES_PAYMENT');
  });

  test('neither the client secret nor the webhook secret appears in any log line', async (t) => {
    const h = use(t);
    if (!h) return;
    const logs = h.logs.text();
    assert.match(logs, /stripe event handled/, 'the logs are captured');
    assert.equal(logs.includes('_secret_'), false);
    assert.equal(logs.includes(TEST_WEBHOOK_SECRET), false);
  });
});
