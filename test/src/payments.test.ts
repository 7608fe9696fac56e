import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
// The Payment service's own types: the Stripe provider's client signs the test webhooks.
import { DEV_WEBHOOK_SECRET } from '@registrar/payment';
import type { PaymentService } from '@registrar/payment';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

const REGISTER = `mutation ($code: String!) { registerForModule(moduleCode: $code) { id status } }`;
const DROP = `mutation ($id: ID!) { dropModule(registrationId: $id) { id status } }`;
const READ = `query ($id: ID!) {
  registration(id: $id) {
    id status reason
    payment { id status provider providerReference clientSecret confirmationToken }
  }
}`;
const SEATS = `query ($code: String!) { module(code: $code) { seatsAvailable fee { amount } } }`;
const MINE = `{ myRegistrations { id status } }`;

// ENGL1002 (Creative Writing Workshop) is the demo's paid module without prerequisites;
// MATH1001 (Calculus) is free. s0190–s0193 hold no seeded registration, so these tests own them.
const PAID_MODULE = 'ENGL1002';
const FREE_MODULE = 'MATH1001';
const STUDENTS = ['s0190', 's0191', 's0192', 's0193'] as const;
const ENDED = ['CANCELLED', 'DROPPED', 'FAILED'];
/** How long a poll waits before it gives up; see `until`. */
const GUARD_MS = 60_000;
/** Between two reads of a poll: slow enough to stay under the gateway's 300 operations a minute. */
const POLL_MS = 300;

interface Registration {
  id: string;
  status: string;
  reason: string | null;
  payment: {
    id: string;
    status: string;
    provider: 'stripe' | 'local';
    providerReference: string | null;
    clientSecret: string | null;
    confirmationToken: string | null;
  } | null;
}

describe('paying for a module through the gateway', () => {
  let t: TestSystem;
  const tokens: Record<string, string> = {};
  before(async () => {
    t = await startTestSystem({ RATE_LIMIT_KEY_PREFIX: `ratelimit-payments-${randomInt(1e9)}` });
    for (const student of STUDENTS) {
      tokens[student] = (await t.login(student)).accessToken;
      await dropLeftovers(tokens[student]!);
    }
  });
  after(() => t.stop());

  // On a shared database an earlier run may have left registrations active: end them first.
  async function dropLeftovers(token: string): Promise<void> {
    const mine = await t.graphql(MINE, {}, token);
    for (const registration of mine.data!['myRegistrations']) {
      if (!ENDED.includes(registration.status)) {
        await t.graphql(DROP, { id: registration.id }, token);
      }
    }
  }

  async function read(id: string, token: string): Promise<Registration> {
    const response = await t.graphql(READ, { id }, token);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!['registration'] as Registration;
  }

  /**
   * Polls the registration until `done` holds. Gives up after 60 s: a guard against a hung test,
   * not an assertion about speed. It is that long because in CI the saga crosses Kafka, whose
   * consumer groups may first have to rebalance away the members of the previous test file.
   */
  async function until(
    id: string,
    token: string,
    what: string,
    done: (registration: Registration) => boolean,
  ): Promise<Registration> {
    const deadline = Date.now() + GUARD_MS;
    let registration = await read(id, token);
    while (!done(registration)) {
      assert.ok(
        Date.now() < deadline,
        `gave up waiting for ${what}: ${JSON.stringify(registration)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      registration = await read(id, token);
    }
    return registration;
  }

  async function seatsOf(code: string): Promise<number> {
    return (await t.graphql(SEATS, { code })).data!['module'].seatsAvailable;
  }

  async function register(code: string, token: string): Promise<string> {
    const response = await t.graphql(REGISTER, { code }, token);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!['registerForModule'].id;
  }

  /** Waits until the registration awaits a payment that its student can pay, and returns it. */
  function awaitPayment(id: string, token: string): Promise<Registration> {
    return until(
      id,
      token,
      'a payment the student can pay',
      (r) =>
        r.status === 'AWAITING_PAYMENT' &&
        r.payment?.status === 'REQUIRES_PAYMENT' &&
        Boolean(r.payment.clientSecret ?? r.payment.confirmationToken),
    );
  }

  /**
   * Pays as the student's client would finish it. With Stripe (CI), the browser confirms with
   * Stripe and Stripe reports the outcome by a signed webhook to the Payment service; with the
   * local provider (embedded), the client confirms with a test card and its token.
   */
  async function pay(
    registration: Registration,
    outcome: 'succeeds' | 'declined',
  ): Promise<number> {
    const payment = registration.payment!;
    const base = t.system.subgraphs.payment.url.replace(/\/graphql$/, '');
    if (payment.provider === 'local') {
      const response = await fetch(`${base}/payments/local/confirm`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${payment.confirmationToken}`,
        },
        body: JSON.stringify({
          paymentId: payment.id,
          cardNumber: outcome === 'succeeds' ? '4242424242424242' : '4000000000000002',
        }),
      });
      return response.status;
    }
    const payload = JSON.stringify({
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type: outcome === 'succeeds' ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: payment.providerReference,
          object: 'payment_intent',
          status: outcome === 'succeeds' ? 'succeeded' : 'requires_payment_method',
          last_payment_error:
            outcome === 'succeeds' ? null : { type: 'card_error', code: 'card_declined' },
        },
      },
    });
    const stripe = (t.system.subgraphs.payment as PaymentService).providers.stripe!.client;
    const signature = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: process.env['STRIPE_WEBHOOK_SECRET'] || DEV_WEBHOOK_SECRET,
    });
    const response = await fetch(`${base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
    return response.status;
  }

  test('a paid module waits for its payment, and once paid the registration is CONFIRMED', async () => {
    const token = tokens['s0190']!;
    const id = await register(PAID_MODULE, token);

    const awaiting = await awaitPayment(id, token);
    const expected =
      process.env['PAYMENT_PROVIDER'] || (process.env['STRIPE_SECRET_KEY'] ? 'stripe' : 'local');
    assert.equal(awaiting.payment!.provider, expected);
    assert.equal(await pay(awaiting, 'succeeds'), 200);
    const confirmed = await until(id, token, 'CONFIRMED', (r) => r.status !== 'AWAITING_PAYMENT');

    assert.equal(confirmed.status, 'CONFIRMED');
    assert.equal(confirmed.payment!.status, 'SUCCEEDED');
    assert.deepEqual(
      [confirmed.payment!.clientSecret, confirmed.payment!.confirmationToken],
      [null, null],
    );
  });

  test('a declined payment cancels the registration and gives its seat back', async () => {
    const token = tokens['s0191']!;
    const seatsBefore = await seatsOf(PAID_MODULE);
    const id = await register(PAID_MODULE, token);
    const awaiting = await awaitPayment(id, token);
    assert.equal(await seatsOf(PAID_MODULE), seatsBefore - 1, 'the seat is held while paying');

    // The local confirmation answers the client 402; Stripe's webhook is acknowledged with 200.
    assert.ok([200, 402].includes(await pay(awaiting, 'declined')));
    const cancelled = await until(id, token, 'CANCELLED', (r) => r.status !== 'AWAITING_PAYMENT');

    assert.equal(cancelled.status, 'CANCELLED');
    assert.match(cancelled.reason ?? '', /card_declined/);
    assert.equal(cancelled.payment!.status, 'FAILED');
    const deadline = Date.now() + GUARD_MS;
    while ((await seatsOf(PAID_MODULE)) !== seatsBefore && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    assert.equal(await seatsOf(PAID_MODULE), seatsBefore);
  });

  test('a free module is CONFIRMED without any payment', async () => {
    const token = tokens['s0192']!;
    assert.equal((await t.graphql(SEATS, { code: FREE_MODULE })).data!['module'].fee.amount, 0);
    const id = await register(FREE_MODULE, token);

    const confirmed = await until(id, token, 'CONFIRMED', (r) => r.status === 'CONFIRMED');

    assert.equal(confirmed.payment, null);
    const rows = await t.system.subgraphs.payment.dataSource.query(
      `SELECT id FROM payments WHERE registration_id = $1`,
      [id],
    );
    assert.deepEqual(rows, []);
    await t.graphql(DROP, { id }, token);
  });

  test('dropping a confirmed paid registration refunds its payment', async () => {
    const token = tokens['s0193']!;
    const id = await register(PAID_MODULE, token);
    assert.equal(await pay(await awaitPayment(id, token), 'succeeds'), 200);
    await until(id, token, 'CONFIRMED', (r) => r.status === 'CONFIRMED');

    const dropped = await t.graphql(DROP, { id }, token);
    assert.equal(dropped.data!['dropModule'].status, 'DROPPED');
    const refunded = await until(id, token, 'a refund', (r) => r.payment?.status === 'REFUNDED');

    assert.equal(refunded.status, 'DROPPED');
  });
});
