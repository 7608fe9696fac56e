import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { TOPICS, deadLetterTopicOf } from '@registrar/events';
import type { BusMessage } from '@registrar/events';
import { createConfirmationTokens } from '../confirmation-token.js';
import {
  PAYMENT_DATABASE_URL,
  answersAbout,
  cancelPaymentCommand,
  createForger,
  readHistory,
  readPayments,
  requestPaymentCommand,
  requestPendingPayment as requestPayment,
  EXAMPLES,
  skipWithout,
  startPaymentHarness,
  studentViewer,
  waitUntil,
} from './payment-test-support.js';
import type { PaymentHarness, PendingPayment } from './payment-test-support.js';

const SUCCESS_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000000000000002';
// A real-looking card number that is not a test card: it must be refused and leave no trace.
const OTHER_CARD = '5555555555554444';

describe('the Payment service with the local provider', () => {
  let harness: PaymentHarness | undefined;
  before(async () => {
    if (!PAYMENT_DATABASE_URL) return;
    harness = await startPaymentHarness(PAYMENT_DATABASE_URL, { kind: 'local' });
  });
  after(() => harness?.stop());

  /** The harness, or a skip (a failure in CI) without DATABASE_URL_PAYMENT. */
  const use = (t: TestContext) =>
    harness ?? skipWithout(t, [['DATABASE_URL_PAYMENT', EXAMPLES.DATABASE_URL_PAYMENT]]);

  /** Reads the payment's confirmation token as its owner does: through the served subgraph. */
  async function tokenFor(h: PaymentHarness, pending: PendingPayment): Promise<string> {
    const answer = await h.graphql(
      studentViewer(pending.studentId),
      `{ payment(id: "${pending.payment.id}") { confirmationToken } }`,
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    const token = answer.data?.['payment']?.['confirmationToken'];
    assert.equal(typeof token, 'string', 'the owner of a waiting local payment gets a token');
    return token as string;
  }

  function confirm(h: PaymentHarness, paymentId: string, cardNumber: string, token?: string) {
    return fetch(`${h.baseUrl}/payments/local/confirm`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ paymentId, cardNumber }),
    });
  }

  test('a payment request creates one local intent keyed by the registration id, however often it is asked', async (t) => {
    const h = use(t);
    if (!h) return;
    const command = requestPaymentCommand();
    const registrationId = (command.payload as { registrationId: string }).registrationId;
    const bytes = await h.sign(command);

    // The very same message twice (a redelivery), then a new command for the same registration.
    await h.bus.publish(TOPICS.paymentCommands, [
      { key: command.key, value: bytes },
      { key: command.key, value: bytes },
    ]);
    await h.send([requestPaymentCommand(registrationId)]);
    const marker = await requestPayment(h);

    assert.ok(marker.payment, 'the marker behind the repeats was answered');
    const payments = await readPayments(h.dataSource, registrationId);
    assert.equal(payments.length, 1);
    assert.equal(payments[0]!.status, 'REQUIRES_PAYMENT');
    assert.equal(payments[0]!.provider, 'local');
    assert.match(payments[0]!.reference ?? '', /^pi_local_[a-f0-9]{24}$/);
    const intents = await h.dataSource.query(
      `SELECT id, amount, currency FROM local_payment_intents WHERE idempotency_key = $1`,
      [registrationId],
    );
    assert.deepEqual(intents, [{ id: payments[0]!.reference, amount: 20_000, currency: 'GBP' }]);
    assert.equal(answersAbout(h.answers.events, registrationId).length, 1, 'one PaymentPending');
  });

  test('the success card confirms the payment, which answers PaymentSucceeded', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPayment(h);
    const { registrationId, payment } = pending;

    const response = await confirm(h, payment.id, SUCCESS_CARD, await tokenFor(h, pending));

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { paymentId: payment.id, status: 'SUCCEEDED' });
    await h.answers.waitFor(
      'PaymentSucceeded',
      (events) => answersAbout(events, registrationId, 'PaymentSucceeded').length > 0,
    );
    assert.deepEqual(await readHistory(h.dataSource, payment.id), [
      '∅→REQUIRES_PAYMENT',
      'REQUIRES_PAYMENT→SUCCEEDED',
    ]);
    const owner = studentViewer(pending.studentId);
    const paid = await h.graphql(
      owner,
      `{ payment(id: "${payment.id}") { status confirmationToken } }`,
    );
    assert.deepEqual(paid.data?.['payment'], { status: 'SUCCEEDED', confirmationToken: null });
  });

  test('the declined card fails the payment with card_declined and answers PaymentFailed', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPayment(h);
    const { registrationId, payment } = pending;

    const response = await confirm(h, payment.id, DECLINED_CARD, await tokenFor(h, pending));

    assert.equal(response.status, 402);
    const body = (await response.json()) as { error: Record<string, unknown> };
    assert.equal(body.error['code'], 'CARD_DECLINED');
    assert.equal(body.error['declineCode'], 'card_declined');
    await h.answers.waitFor(
      'PaymentFailed',
      (events) => answersAbout(events, registrationId, 'PaymentFailed').length > 0,
    );
    const [failed] = answersAbout(h.answers.events, registrationId, 'PaymentFailed');
    assert.equal((failed!.payload as { reason: string }).reason, 'card_declined');
    const [row] = await readPayments(h.dataSource, registrationId);
    assert.deepEqual([row!.status, row!.failureReason], ['FAILED', 'card_declined']);
  });

  test("a missing, forged or other payment's confirmation token is refused with 401 and changes nothing", async (t) => {
    const h = use(t);
    if (!h) return;
    const { registrationId, payment } = await requestPayment(h);
    const other = await requestPayment(h);
    const anotherProcess = createConfirmationTokens();

    const answers = await Promise.all([
      confirm(h, payment.id, SUCCESS_CARD),
      confirm(h, payment.id, SUCCESS_CARD, 'not-a-token'),
      confirm(h, payment.id, SUCCESS_CARD, anotherProcess.issue(payment.id)),
      confirm(h, payment.id, SUCCESS_CARD, await tokenFor(h, other)),
    ]);

    assert.deepEqual(
      answers.map((answer) => answer.status),
      [401, 401, 401, 401],
    );
    const body = (await answers[1]!.json()) as { error: { code: string; stack?: unknown } };
    assert.equal(body.error.code, 'CONFIRMATION_TOKEN_INVALID');
    assert.equal(body.error.stack, undefined);
    assert.equal((await readPayments(h.dataSource, registrationId))[0]!.status, 'REQUIRES_PAYMENT');
  });

  test('only the paying student reads the confirmation token', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPayment(h);
    const query = `{ payment(id: "${pending.payment.id}") { id confirmationToken } }`;

    const stranger = await h.graphql(studentViewer(randomUUID()), query);
    const finance = await h.graphql(
      { kind: 'user', subject: 'finance1', roles: ['finance'], sessionId: 'f' },
      query,
    );

    assert.equal(stranger.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    assert.equal(finance.data?.['payment']?.['confirmationToken'] ?? null, null);
    assert.ok(finance.errors?.some((error) => error.extensions?.['code'] === 'FORBIDDEN'));
  });

  test('any other card number is refused with 400 and is neither stored nor logged', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPayment(h);
    const { registrationId, payment } = pending;

    const response = await confirm(h, payment.id, OTHER_CARD, await tokenFor(h, pending));
    const malformed = await fetch(`${h.baseUrl}/payments/local/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"paymentId": "${payment.id}", "cardNumber": "${OTHER_CARD}"`,
    });

    assert.equal(response.status, 400);
    assert.equal(
      ((await response.json()) as { error: { code: string } }).error.code,
      'CARD_NUMBER_UNSUPPORTED',
    );
    assert.equal(malformed.status, 400);
    assert.equal(
      ((await malformed.json()) as { error: { code: string } }).error.code,
      'BODY_INVALID',
    );
    assert.equal((await readPayments(h.dataSource, registrationId))[0]!.status, 'REQUIRES_PAYMENT');
    assert.match(h.logs.text(), /NOT a real payment provider/, 'the logs are captured');
    assert.equal(h.logs.text().includes(OTHER_CARD), false, 'the card number is in a log line');
    const [stored] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM (
         SELECT row_to_json(p)::text AS t FROM payments p
         UNION ALL SELECT row_to_json(i)::text FROM local_payment_intents i
         UNION ALL SELECT row_to_json(h)::text FROM payment_history h
         UNION ALL SELECT envelope::text FROM outbox) rows WHERE t LIKE $1`,
      [`%${OTHER_CARD}%`],
    );
    assert.equal(stored.n, 0);
  });

  test('cancelling a waiting payment cancels its intent; a repeated cancel answers again and changes nothing', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPayment(h);
    const { registrationId, payment } = pending;
    const token = await tokenFor(h, pending);

    await h.send([cancelPaymentCommand(registrationId, false)]);
    await h.answers.waitFor(
      'PaymentCancelled',
      (events) => answersAbout(events, registrationId, 'PaymentCancelled').length > 0,
    );
    await h.send([cancelPaymentCommand(registrationId, false)]);
    await h.answers.waitFor(
      'a second PaymentCancelled',
      (events) => answersAbout(events, registrationId, 'PaymentCancelled').length > 1,
    );

    const cancelled = answersAbout(h.answers.events, registrationId, 'PaymentCancelled');
    assert.deepEqual(
      cancelled.map((event) => (event.payload as { refunded: boolean }).refunded),
      [false, false],
    );
    assert.deepEqual(await readHistory(h.dataSource, payment.id), [
      '∅→REQUIRES_PAYMENT',
      'REQUIRES_PAYMENT→CANCELLED',
    ]);
    const [intent] = await h.dataSource.query(
      `SELECT status FROM local_payment_intents WHERE id = $1`,
      [payment.reference],
    );
    assert.equal(intent.status, 'canceled');
    const late = await confirm(h, payment.id, SUCCESS_CARD, token);
    assert.equal(late.status, 409, 'a cancelled payment cannot be paid');
  });

  test('a paid payment cancelled with refund is refunded once and answers PaymentCancelled refunded', async (t) => {
    const h = use(t);
    if (!h) return;
    const pending = await requestPayment(h);
    const { registrationId, payment } = pending;
    const token = await tokenFor(h, pending);
    assert.equal((await confirm(h, payment.id, SUCCESS_CARD, token)).status, 200);
    assert.equal((await confirm(h, payment.id, SUCCESS_CARD, token)).status, 409, 'paid once');

    await h.send([
      cancelPaymentCommand(registrationId, true),
      cancelPaymentCommand(registrationId, true),
    ]);
    await h.answers.waitFor(
      'two PaymentCancelled',
      (events) => answersAbout(events, registrationId, 'PaymentCancelled').length > 1,
    );

    assert.deepEqual(
      answersAbout(h.answers.events, registrationId, 'PaymentCancelled').map(
        (event) => (event.payload as { refunded: boolean }).refunded,
      ),
      [true, true],
    );
    assert.equal((await readPayments(h.dataSource, registrationId))[0]!.status, 'REFUNDED');
    assert.deepEqual((await readHistory(h.dataSource, payment.id)).slice(-1), [
      'SUCCEEDED→REFUNDED',
    ]);
  });

  test('a cancellation for a registration without a payment gets no answer', async (t) => {
    const h = use(t);
    if (!h) return;
    const nobody = randomUUID();
    await h.send([cancelPaymentCommand(nobody, true)]);
    const marker = await requestPayment(h);

    assert.ok(marker.payment);
    assert.deepEqual(answersAbout(h.answers.events, nobody), []);
    assert.deepEqual(await readPayments(h.dataSource, nobody), []);
  });

  test('a forged payment request is dead-lettered and creates no payment', async (t) => {
    const h = use(t);
    if (!h) return;
    const dead: BusMessage[] = [];
    const subscription = await h.bus.subscribe({
      groupId: `dlq-reader-${randomUUID().slice(0, 8)}`,
      topics: [deadLetterTopicOf(TOPICS.paymentCommands)],
      fromBeginning: true,
      handler: async (message) => void dead.push(message),
    });
    const forged = requestPaymentCommand();
    const value = Buffer.from(await (await createForger()).sign(forged));

    await h.bus.publish(TOPICS.paymentCommands, [{ key: forged.key, value }]);
    await waitUntil(() => dead.some((message) => message.value.equals(value)), 'the dead letter');
    await subscription.stop();

    assert.deepEqual(
      await readPayments(
        h.dataSource,
        (forged.payload as { registrationId: string }).registrationId,
      ),
      [],
    );
  });
});
