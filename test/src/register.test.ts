import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

const REGISTER = `mutation ($code: String!) {
  registerForModule(moduleCode: $code) { id status term module { code title } history { from to actor } }
}`;
const DROP = `mutation ($id: ID!) { dropModule(registrationId: $id) { id status reason } }`;

describe('asking for a seat', () => {
  let t: TestSystem;
  let student: string;
  before(async () => {
    t = await startTestSystem();
    // s0170 holds no seeded registration, so the test owns whatever it creates. On a shared
    // database an earlier run may have left some active: drop them first.
    student = (await t.login('s0170')).accessToken;
    const mine = await t.graphql('{ myRegistrations { id status } }', {}, student);
    for (const registration of mine.data!['myRegistrations']) {
      if (!['CANCELLED', 'DROPPED', 'FAILED'].includes(registration.status)) {
        await t.graphql(DROP, { id: registration.id }, student);
      }
    }
  });
  after(() => t.stop());

  test('a student gets a PENDING registration at once, with its history and an outbox event', async () => {
    const response = await t.graphql(REGISTER, { code: 'hist1001' }, student);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const registration = response.data!['registerForModule'];
    try {
      assert.equal(registration.status, 'PENDING');
      assert.equal(registration.term, 'AUTUMN-2026');
      assert.deepEqual(registration.module, { code: 'HIST1001', title: 'Medieval Europe' });
      assert.deepEqual(registration.history, [{ from: null, to: 'PENDING', actor: 'student' }]);

      const [row] = await t.system.subgraphs.registration.dataSource.query(
        `SELECT topic, key, envelope FROM outbox WHERE key = $1`,
        [registration.id],
      );
      assert.equal(row.topic, 'registration.events');
      assert.equal(row.envelope.type, 'RegistrationRequested');
      assert.equal(row.envelope.payload.moduleCode, 'HIST1001');
      assert.equal(row.envelope.producer, 'registration');
    } finally {
      await t.graphql(DROP, { id: registration.id }, student);
    }
  });

  test('a second active registration for the same module is a CONFLICT that names the rule', async () => {
    const first = await t.graphql(REGISTER, { code: 'ECON1001' }, student);
    const id = first.data!['registerForModule'].id;
    try {
      const second = await t.graphql(REGISTER, { code: 'ECON1001' }, student);
      assert.equal(second.errors?.[0]?.extensions?.['code'], 'CONFLICT');
      assert.equal(second.errors?.[0]?.extensions?.['rule'], 'ALREADY_REGISTERED');
      assert.match(second.errors![0]!.message, /ECON1001/);
    } finally {
      await t.graphql(DROP, { id }, student);
    }
  });

  test('dropping a registration ends it, records why, and frees the module for a new request', async () => {
    const first = await t.graphql(REGISTER, { code: 'LAW1001' }, student);
    const id = first.data!['registerForModule'].id;
    const dropped = await t.graphql(DROP, { id }, student);
    // The saga may have confirmed it already (DROPPED) or not yet (CANCELLED).
    assert.ok(['CANCELLED', 'DROPPED'].includes(dropped.data!['dropModule'].status));
    assert.equal(dropped.data!['dropModule'].reason, 'Dropped by the student.');
    const again = await t.graphql(DROP, { id }, student);
    assert.equal(again.errors?.[0]?.extensions?.['code'], 'CONFLICT');
    const renewed = await t.graphql(REGISTER, { code: 'LAW1001' }, student);
    assert.equal(renewed.data!['registerForModule'].status, 'PENDING');
    await t.graphql(DROP, { id: renewed.data!['registerForModule'].id }, student);
  });

  test('an unknown module is NOT_FOUND and a malformed code is BAD_USER_INPUT, both naming moduleCode', async () => {
    const unknown = await t.graphql(REGISTER, { code: 'ZZZZ9999' }, student);
    assert.equal(unknown.errors?.[0]?.extensions?.['code'], 'NOT_FOUND');
    const malformed = await t.graphql(REGISTER, { code: "COMP1001'; --" }, student);
    assert.deepEqual(
      [
        malformed.errors?.[0]?.extensions?.['code'],
        malformed.errors?.[0]?.extensions?.['argument'],
      ],
      ['BAD_USER_INPUT', 'moduleCode'],
    );
  });

  test('registering needs a student session', async () => {
    const anonymous = await t.graphql(REGISTER, { code: 'COMP1001' });
    assert.equal(anonymous.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
    const staff = (await t.login('staff1')).accessToken;
    const asStaff = await t.graphql(REGISTER, { code: 'COMP1001' }, staff);
    assert.equal(asStaff.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
  });

  test("a student cannot drop another student's registration", async () => {
    const mine = await t.graphql(REGISTER, { code: 'PSYC1001' }, student);
    const id = mine.data!['registerForModule'].id;
    try {
      const other = (await t.login('s0171')).accessToken;
      const response = await t.graphql(DROP, { id }, other);
      assert.equal(response.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    } finally {
      await t.graphql(DROP, { id }, student);
    }
  });
});
