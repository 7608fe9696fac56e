import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANONYMOUS } from '@registrar/platform';
import type { Role, Viewer } from '@registrar/platform';
import { assertCanReadStudent, assertRegistryStaff, canSeePersonalData } from './student.access.js';

const SELF_ID = '11111111-1111-5111-8111-111111111111';
const OTHER_ID = '22222222-2222-5222-8222-222222222222';

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

describe('canSeePersonalData', () => {
  test('a student sees their own personal data', () => {
    assert.equal(canSeePersonalData(user(['student'], SELF_ID), SELF_ID), true);
  });

  test("a student does not see another student's personal data", () => {
    assert.equal(canSeePersonalData(user(['student'], SELF_ID), OTHER_ID), false);
  });

  test('staff and admins see everyone’s personal data', () => {
    assert.equal(canSeePersonalData(user(['staff']), OTHER_ID), true);
    assert.equal(canSeePersonalData(user(['admin']), OTHER_ID), true);
  });

  test('finance, partners and anonymous callers see no personal data', () => {
    assert.equal(canSeePersonalData(user(['finance']), OTHER_ID), false);
    assert.equal(canSeePersonalData(user(['partner']), OTHER_ID), false);
    assert.equal(canSeePersonalData(ANONYMOUS, OTHER_ID), false);
  });

  test('a user without a student id is never taken for a student', () => {
    assert.equal(canSeePersonalData(user(['student']), SELF_ID), false);
  });
});

describe('assertCanReadStudent', () => {
  test('a student may read their own record', () => {
    assert.equal(
      codeOf(() => assertCanReadStudent(user(['student'], SELF_ID), SELF_ID, 'id')),
      'no error',
    );
  });

  test("a student asking for another student's record is forbidden", () => {
    assert.equal(
      codeOf(() => assertCanReadStudent(user(['student'], SELF_ID), OTHER_ID, 'id')),
      'FORBIDDEN',
    );
  });

  test('a student asking for a record that does not exist is forbidden, not told it is missing', () => {
    assert.equal(
      codeOf(() => assertCanReadStudent(user(['student'], SELF_ID), undefined, 'studentNumber')),
      'FORBIDDEN',
    );
  });

  test('staff may read any record, even one that does not exist (the caller then says NOT_FOUND)', () => {
    assert.equal(
      codeOf(() => assertCanReadStudent(user(['staff']), undefined, 'id')),
      'no error',
    );
  });

  test('an anonymous caller must sign in', () => {
    assert.equal(
      codeOf(() => assertCanReadStudent(ANONYMOUS, SELF_ID, 'id')),
      'UNAUTHENTICATED',
    );
  });

  test('the FORBIDDEN message names the argument', () => {
    assert.throws(
      () => assertCanReadStudent(user(['finance']), OTHER_ID, 'id'),
      (error: Error) => error.message.includes('"id"'),
    );
  });
});

describe('assertRegistryStaff', () => {
  test('only staff and admins pass', () => {
    assert.equal(
      codeOf(() => assertRegistryStaff(user(['staff']), 'x')),
      'no error',
    );
    assert.equal(
      codeOf(() => assertRegistryStaff(user(['admin']), 'x')),
      'no error',
    );
    assert.equal(
      codeOf(() => assertRegistryStaff(user(['student'], SELF_ID), 'x')),
      'FORBIDDEN',
    );
    assert.equal(
      codeOf(() => assertRegistryStaff(user(['finance']), 'x')),
      'FORBIDDEN',
    );
    assert.equal(
      codeOf(() => assertRegistryStaff(ANONYMOUS, 'x')),
      'UNAUTHENTICATED',
    );
  });
});
