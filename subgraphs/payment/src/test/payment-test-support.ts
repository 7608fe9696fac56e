import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import {
  TOPICS,
  createEnvelopeSigner,
  createEvent,
  createInProcessBus,
  decodeEvent,
  verifySignedEnvelope,
} from '@registrar/events';
import type { EnvelopeSigner, EventBus, RegistrarEvent } from '@registrar/events';
import {
  IDENTITY_HEADER,
  createLogger,
  generateIdentityKeys,
  signIdentity,
} from '@registrar/platform';
import type { Logger, Viewer } from '@registrar/platform';
import { generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PaymentProviderSettings } from '../payment-providers.js';
import { startPaymentService } from '../payment.service.js';
import type { PaymentService } from '../payment.service.js';

/**
 * Returns the value of a real-service variable. Without it the test is skipped on a workstation
 * but fails in CI, where a silently skipped suite would hide a broken service.
 */
export function requireVariable(t: TestContext, name: string, example: string): string | undefined {
  const value = process.env[name]?.trim();
  if (value) return value;
  if (process.env['CI'] === 'true') {
    assert.fail(`${name} is required in CI: set it (e.g. ${example}); see infra/env.sh.`);
  }
  t.skip(`${name} not set`);
  return undefined;
}

/**
 * Skips the test for want of a real-service variable, or fails it in CI; returns `undefined` so
 * that `harness ?? skipWithout(...)` reads as "the harness, or nothing to run".
 */
export function skipWithout(t: TestContext, variables: ReadonlyArray<[string, string]>): undefined {
  for (const [name, example] of variables) requireVariable(t, name, example);
  return undefined;
}

/** The example values the skip messages show. */
export const EXAMPLES = {
  DATABASE_URL_PAYMENT: 'postgres://registrar:…@127.0.0.1:5432/registrar_payment',
  STRIPE_API_BASE: 'http://127.0.0.1:12111 (stripe-mock)',
  STRIPE_SECRET_KEY: 'sk_test_123',
} as const;

/** The real Payment database to test against, if this run has one. */
export const PAYMENT_DATABASE_URL = process.env['DATABASE_URL_PAYMENT']?.trim() || undefined;

/** stripe-mock (or Stripe's test mode) to test against, if this run has one. */
export const STRIPE_TEST_SETTINGS =
  process.env['STRIPE_API_BASE']?.trim() && process.env['STRIPE_SECRET_KEY']?.trim()
    ? {
        apiBase: process.env['STRIPE_API_BASE'].trim(),
        secretKey: process.env['STRIPE_SECRET_KEY'].trim(),
      }
    : undefined;

/** The signing secret the tests' webhooks are signed with. */
export const TEST_WEBHOOK_SECRET = 'whsec_payment_tests';

/** Everything a test logged, one parsed line each: to prove what was never logged. */
export interface LogCapture {
  logger: Logger;
  readonly text: () => string;
}

/** A logger at debug level whose lines are kept in memory. */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: createLogger({ service: 'payment-test', level: 'debug', destination }),
    text: () => lines.join(''),
  };
}

/** A Payment service on a fresh schema of the real database, fed by an in-process bus. */
export interface PaymentHarness {
  service: PaymentService;
  dataSource: DataSource;
  bus: EventBus;
  /** The service's own routes, such as http://127.0.0.1:41234. */
  baseUrl: string;
  logs: LogCapture;
  /** Every event the service published on `payment.events`, verified with its key. */
  answers: EventLog;
  /** Signs commands as the registration saga and publishes them on `payment.commands`. */
  send(commands: RegistrarEvent[]): Promise<void>;
  /** Signs commands as the saga and returns the bytes, to deliver the very same message twice. */
  sign(command: RegistrarEvent): Promise<Buffer>;
  /** Queries the served subgraph as `viewer`, with an identity the gateway would have signed. */
  graphql(viewer: Viewer, query: string): Promise<GraphqlAnswer>;
  stop(): Promise<void>;
}

/** A GraphQL answer as the tests read it. */
export interface GraphqlAnswer {
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

/** A signed-in student, as the gateway forwards them. */
export function studentViewer(studentId: string): Viewer {
  return { kind: 'user', subject: 's-test', roles: ['student'], sessionId: 'session', studentId };
}

/**
 * Starts the harness on a fresh schema of the database at `databaseUrl`, so that its relay never
 * publishes rows of a Payment service sharing the database and reruns start empty.
 */
export async function startPaymentHarness(
  databaseUrl: string,
  provider: PaymentProviderSettings,
): Promise<PaymentHarness> {
  const logs = captureLogs();
  const schema = await createTestSchema(databaseUrl);
  const bus = createInProcessBus({ logger: logs.logger });
  const registration = await generateKeyPair('ES256');
  const payment = await generateKeyPair('ES256');
  const saga = createEnvelopeSigner('registration', registration.privateKey);
  const identityKeys = await generateIdentityKeys();
  const service = await startPaymentService({
    databaseUrl: schema.url,
    host: '127.0.0.1',
    port: 0,
    logger: logs.logger,
    identityPublicKey: identityKeys.publicKey,
    seedDemoData: false,
    events: {
      bus,
      signer: createEnvelopeSigner('payment', payment.privateKey),
      producerKeys: { registration: registration.publicKey },
    },
    provider,
    // Tests reconcile on demand; the timer must not race them.
    reconciliation: { intervalMs: 3_600_000 },
  }).catch(async (error: unknown) => {
    await schema.drop();
    throw error;
  });
  const answers = await readEvents(bus, TOPICS.payment, { payment: payment.publicKey });
  const sign = async (command: RegistrarEvent) => Buffer.from(await saga.sign(command));
  return {
    service,
    dataSource: service.dataSource,
    bus,
    baseUrl: service.url.replace(/\/graphql$/, ''),
    logs,
    answers,
    sign,
    async graphql(viewer, query) {
      const response = await fetch(service.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: await signIdentity(viewer, identityKeys.privateKey),
        },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as GraphqlAnswer;
    },
    async send(commands) {
      const messages = await Promise.all(
        commands.map(async (command) => ({ key: command.key, value: await sign(command) })),
      );
      await bus.publish(TOPICS.paymentCommands, messages);
    },
    async stop() {
      await answers.stop();
      await service.stop();
      await bus.close();
      await schema.drop();
    },
  };
}

/** A RequestPayment as the saga sends it, for a new registration unless one is given. */
export function requestPaymentCommand(
  registrationId: string = randomUUID(),
  studentId: string = randomUUID(),
): RegistrarEvent {
  return createEvent(
    'RequestPayment',
    { registrationId, studentId, amount: 20_000, currency: 'GBP' },
    { producer: 'registration', correlationId: randomUUID() },
  );
}

/** A CancelPayment as the saga sends it after a drop, a decline or a deadline. */
export function cancelPaymentCommand(registrationId: string, refund: boolean): RegistrarEvent {
  return createEvent(
    'CancelPayment',
    { registrationId, refund, reason: 'The student dropped the module.' },
    { producer: 'registration', correlationId: randomUUID() },
  );
}

/** The registration id a payment event or command is about. */
export function registrationOf(event: RegistrarEvent): string {
  return (event.payload as { registrationId: string }).registrationId;
}

/** The answers of one type about one registration. */
export function answersAbout(
  events: readonly RegistrarEvent[],
  registrationId: string,
  type?: RegistrarEvent['type'],
): RegistrarEvent[] {
  return events.filter(
    (event) => registrationOf(event) === registrationId && (!type || event.type === type),
  );
}

/** A payment requested for a new registration and answered PaymentPending. */
export interface PendingPayment {
  registrationId: string;
  studentId: string;
  payment: PaymentRow;
}

/** Requests a payment for a new registration and waits until it is pending. */
export async function requestPendingPayment(h: PaymentHarness): Promise<PendingPayment> {
  const registrationId = randomUUID();
  const studentId = randomUUID();
  await h.send([requestPaymentCommand(registrationId, studentId)]);
  await h.answers.waitFor(
    'PaymentPending',
    (events) => answersAbout(events, registrationId, 'PaymentPending').length > 0,
  );
  const [payment] = await readPayments(h.dataSource, registrationId);
  assert.ok(payment, 'a pending payment has its row');
  return { registrationId, studentId, payment };
}

/** A payment row as the tests read it. */
export interface PaymentRow {
  id: string;
  status: string;
  provider: string;
  reference: string | null;
  clientSecret: string | null;
  failureReason: string | null;
}

/** Reads the payments of a registration (there must be at most one). */
export async function readPayments(
  dataSource: DataSource,
  registrationId: string,
): Promise<PaymentRow[]> {
  return dataSource.query(
    `SELECT id, status, provider, provider_reference AS reference, client_secret AS "clientSecret",
       failure_reason AS "failureReason"
     FROM payments WHERE registration_id = $1`,
    [registrationId],
  );
}

/** Reads a payment's history, oldest first, as `FROM→TO` strings. */
export async function readHistory(dataSource: DataSource, paymentId: string): Promise<string[]> {
  const rows: Array<{ from: string | null; to: string }> = await dataSource.query(
    `SELECT from_status AS "from", to_status AS "to" FROM payment_history
     WHERE payment_id = $1 ORDER BY id`,
    [paymentId],
  );
  return rows.map((row) => `${row.from ?? '∅'}→${row.to}`);
}

/** The events a test has read from the bus, with a way to wait for more. */
export interface EventLog {
  readonly events: readonly RegistrarEvent[];
  /**
   * Resolves once `predicate` holds. Rejects after 20 s, naming what was awaited: a guard
   * against a hung test, not an assertion about speed.
   */
  waitFor(
    description: string,
    predicate: (events: readonly RegistrarEvent[]) => boolean,
  ): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscribes to `topic` as a group of its own and keeps every event that verifies as signed by
 * one of `producerKeys`; anything else fails the wait, so a badly signed answer cannot pass.
 */
export async function readEvents(
  bus: EventBus,
  topic: string,
  producerKeys: Record<string, CryptoKey>,
): Promise<EventLog> {
  const events: RegistrarEvent[] = [];
  const failures: unknown[] = [];
  const subscription = await bus.subscribe({
    groupId: `payment-test-${randomUUID().slice(0, 8)}`,
    topics: [topic],
    fromBeginning: true,
    handler: async (message) => {
      try {
        const text = await verifySignedEnvelope(message.value, producerKeys);
        events.push(decodeEvent(Buffer.from(text, 'utf8')));
      } catch (error) {
        failures.push(error);
      }
    },
  });
  return {
    events,
    async waitFor(description, predicate) {
      await waitUntil(() => {
        if (failures.length > 0) throw new Error(`An event failed to verify: ${failures[0]}`);
        return predicate(events);
      }, description);
    },
    stop: () => subscription.stop(),
  };
}

/**
 * Resolves once `condition` holds, checking every 20 ms. Rejects after `timeoutMs`: a guard
 * against a hung test, not an assertion about speed.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A PostgreSQL schema of its own inside the shared Payment database. */
interface TestSchema {
  url: string;
  drop(): Promise<void>;
}

async function createTestSchema(baseUrl: string): Promise<TestSchema> {
  const schema = `payment_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await runSql(baseUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => runSql(baseUrl, `DROP SCHEMA ${schema} CASCADE`) };
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Signs as the registration saga with a key the service does not know: a forger. */
export async function createForger(): Promise<EnvelopeSigner> {
  return createEnvelopeSigner('registration', (await generateKeyPair('ES256')).privateKey);
}
