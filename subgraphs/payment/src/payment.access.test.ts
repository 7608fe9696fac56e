import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANONYMOUS } from '@registrar/platform';
import type { Role, Viewer } from '@registrar/platform';
import { assertCanSeePayment, canSeePayment } from './payment.access.js';

const OWNER_ID = '11111111-1111-5111-8111-111111111111';
const OTHER_ID = '22222222-2222-5222-8222-222222222222';
const payment = { studentId: OWNER_ID };

function user(roles: Role[], studentId?: string): Viewer {
  return {
    kind: 'user',
    subject: 'user-1',
    roles,
    sessionId: 'session-1',
    ...(studentId ? { studentId } : {}),
  };
}

function codeOf(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions?.['code'];
  }
  return 'no error';
}

describe('canSeePayment', () => {
  test('the owning student sees their payment', () => {
    assert.equal(canSeePayment(user(['student'], OWNER_ID), payment), true);
  });

  test("another student does not see someone else's payment", () => {
    assert.equal(canSeePayment(user(['student'], OTHER_ID), payment), false);
  });

  test('finance sees every payment', () => {
    assert.equal(canSeePayment(user(['finance']), payment), true);
  });

  test('registry staff, admins, partners and anonymous callers see no payment details', () => {
    for (const role of ['staff', 'admin', 'partner'] as const) {
      assert.equal(canSeePayment(user([role]), payment), false, role);
    }
    assert.equal(canSeePayment(ANONYMOUS, payment), false);
  });
});

describe('assertCanSeePayment', () => {
  test('the owner passes', () => {
    assert.equal(
      codeOf(() => assertCanSeePayment(user(['student'], OWNER_ID), payment, 'id')),
      'no error',
    );
  });

  test("a student asking for someone else's payment is forbidden, naming the argument", () => {
    assert.throws(
      () => assertCanSeePayment(user(['student'], OTHER_ID), payment, 'id'),
      (error: { extensions?: Record<string, unknown>; message: string }) =>
        error.extensions?.['code'] === 'FORBIDDEN' && error.message.includes('"id"'),
    );
  });

  test('a student asking for a payment that does not exist gets the same FORBIDDEN', () => {
    assert.equal(
      codeOf(() => assertCanSeePayment(user(['student'], OWNER_ID), undefined, 'id')),
      'FORBIDDEN',
    );
  });

  test('finance passes even when nothing matched (the caller then says NOT_FOUND)', () => {
    assert.equal(
      codeOf(() => assertCanSeePayment(user(['finance']), undefined, 'id')),
      'no error',
    );
  });

  test('an anonymous caller must sign in', () => {
    assert.equal(
      codeOf(() => assertCanSeePayment(ANONYMOUS, payment, 'id')),
      'UNAUTHENTICATED',
    );
  });
});
