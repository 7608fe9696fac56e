import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ANONYMOUS, createLogger } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import { graphql } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { PaymentLedger } from './payment-ledger.js';
import { createConfirmationTokens } from './confirmation-token.js';
import { createPaymentContext } from './payment.context.js';
import type { PaymentEntity } from './payment.entity.js';
import { buildPaymentSchema } from './payment.schema.js';

// These tests run the schema over an in-memory ledger: they prove the resolvers' rules and the
// batching of references, not the SQL (the database tests cover that).

const logger = createLogger({ service: 'payment-test', level: 'silent' });
const uuid = (n: number, prefix: string): string =>
  `${prefix}${String(n).repeat(8 - prefix.length)}-0000-5000-8000-00000000000${n}`;
const OWNER = uuid(1, 'a');
const OTHER = uuid(2, 'a');
const registrationIds = [1, 2, 3].map((n) => uuid(n, 'b'));
const rows: PaymentEntity[] = registrationIds.slice(0, 2).map((registrationId, i) => ({
  id: uuid(i + 1, 'c'),
  registrationId,
  studentId: OWNER,
  amount: 15_000,
  currency: 'GBP',
  status: 'SUCCEEDED',
  provider: 'local',
  providerReference: `pi_demo_${i}`,
  clientSecret: null,
  failureReason: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
}));
// A local payment waiting to be paid, of a registration outside the three above.
const PENDING: PaymentEntity = {
  ...rows[0]!,
  id: uuid(7, 'c'),
  registrationId: uuid(7, 'b'),
  status: 'REQUIRES_PAYMENT',
  providerReference: 'pi_local_0123456789abcdef01234567',
};
rows.push(PENDING);
const tokens = createConfirmationTokens();

function createFakeLedger(): PaymentLedger & { batches: string[][] } {
  const batches: string[][] = [];
  return {
    batches,
    async findByIds(ids) {
      batches.push([...ids]);
      return rows.filter((row) => ids.includes(row.id));
    },
    async findByRegistrationIds(ids) {
      batches.push([...ids]);
      return rows.filter((row) => ids.includes(row.registrationId));
    },
  };
}

const student = (studentId: string): Viewer => ({
  kind: 'user',
  subject: 'student',
  roles: ['student'],
  sessionId: 'x',
  studentId,
});
const finance: Viewer = { kind: 'user', subject: 'finance1', roles: ['finance'], sessionId: 'y' };

let schema: GraphQLSchema;
before(async () => {
  schema = await buildPaymentSchema();
});

async function run(viewer: Viewer, source: string, variableValues?: Record<string, unknown>) {
  const ledger = createFakeLedger();
  const contextValue = createPaymentContext({ viewer, requestId: 'r', logger }, ledger, tokens);
  const raw = await graphql({ schema, source, contextValue, variableValues });
  // graphql-js answers with null-prototype objects; compare plain JSON, as a client would.
  const result = JSON.parse(JSON.stringify(raw)) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return { result, ledger };
}

const ENTITIES = `query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Registration { id payment { id status amount { amount currency } } }
  }
}`;
const representations = registrationIds.map((id) => ({ __typename: 'Registration', id }));

describe('Payment subgraph schema', () => {
  test('the payments of three registrations in one _entities call cost one lookup', async () => {
    const { result, ledger } = await run(student(OWNER), ENTITIES, { r: representations });
    assert.equal(result.errors, undefined);
    assert.deepEqual(ledger.batches, [registrationIds]);
    const payments = (result.data?.['_entities'] as { payment: unknown }[]).map((e) => e.payment);
    assert.deepEqual(payments, [
      { id: rows[0]!.id, status: 'SUCCEEDED', amount: { amount: 15_000, currency: 'GBP' } },
      { id: rows[1]!.id, status: 'SUCCEEDED', amount: { amount: 15_000, currency: 'GBP' } },
      null,
    ]);
  });

  test("another student sees null for someone else's payments, without an error", async () => {
    const { result } = await run(student(OTHER), ENTITIES, { r: representations });
    assert.equal(result.errors, undefined);
    const payments = (result.data?.['_entities'] as { payment: unknown }[]).map((e) => e.payment);
    assert.deepEqual(payments, [null, null, null]);
  });

  test('finance sees every payment', async () => {
    const { result } = await run(finance, `{ payment(id: "${rows[0]!.id}") { provider } }`);
    assert.deepEqual(result.data?.['payment'], { provider: 'local' });
  });

  test("a student asking for someone else's payment is forbidden", async () => {
    const { result } = await run(student(OTHER), `{ payment(id: "${rows[0]!.id}") { id } }`);
    assert.equal(result.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
  });

  test('an anonymous caller is asked to sign in', async () => {
    const { result } = await run(ANONYMOUS, `{ payment(id: "${rows[0]!.id}") { id } }`);
    assert.equal(result.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  });

  test('the owner of a waiting local payment reads a confirmation token for it; finance does not', async () => {
    const query = `{ payment(id: "${PENDING.id}") { confirmationToken clientSecret } }`;
    const owner = await run(student(OWNER), query);
    const token = (owner.result.data?.['payment'] as { confirmationToken: string })
      .confirmationToken;
    assert.equal(tokens.verify(token, PENDING.id), true);
    assert.equal((owner.result.data?.['payment'] as { clientSecret: unknown }).clientSecret, null);
    const office = await run(finance, query);
    assert.deepEqual(office.result.data?.['payment'], {
      confirmationToken: null,
      clientSecret: null,
    });
  });

  test('a paid payment offers no confirmation token, even to its owner', async () => {
    const { result } = await run(
      student(OWNER),
      `{ payment(id: "${rows[0]!.id}") { confirmationToken } }`,
    );
    assert.deepEqual(result.data?.['payment'], { confirmationToken: null });
  });

  test('a malformed id is refused before any lookup; an unknown one is NOT_FOUND', async () => {
    const malformed = await run(finance, '{ payment(id: "pi_123") { id } }');
    assert.equal(malformed.result.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
    assert.deepEqual(malformed.ledger.batches, []);
    const unknown = await run(finance, `{ payment(id: "${uuid(9, 'c')}") { id } }`);
    assert.equal(unknown.result.errors?.[0]?.extensions?.['code'], 'NOT_FOUND');
  });
});
