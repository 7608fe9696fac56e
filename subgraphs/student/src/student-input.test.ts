import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GraphQLError } from 'graphql';
import { parseSearch, parseStudentId, parseStudentNumber } from './student-input.js';

function badInput(argument: string) {
  return (error: unknown): boolean =>
    error instanceof GraphQLError &&
    error.extensions['code'] === 'BAD_USER_INPUT' &&
    error.extensions['argument'] === argument &&
    error.message.includes(`"${argument}"`);
}

describe('parseStudentId', () => {
  test('a UUID is accepted and lower-cased', () => {
    assert.equal(
      parseStudentId(' 0B5E0F7C-1D2A-5C3E-9F40-6A7B8C9D0E1F '),
      '0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f',
    );
  });

  test('anything that is not a UUID is refused, naming the argument', () => {
    for (const value of ['', 's0001', '123', "1' OR '1'='1", '0b5e0f7c1d2a5c3e9f406a7b8c9d0e1f']) {
      assert.throws(() => parseStudentId(value, 'id'), badInput('id'), value);
    }
  });
});

describe('parseStudentNumber', () => {
  test('a student number is normalised to lower case without spaces', () => {
    assert.equal(parseStudentNumber(' S0042 '), 's0042');
  });

  test('malformed numbers are refused, naming the argument', () => {
    for (const value of ['', 's12', '0001', 'x0001', 's0001a', 's123456789']) {
      assert.throws(() => parseStudentNumber(value), badInput('studentNumber'), value);
    }
  });
});

describe('parseSearch', () => {
  test('blank or missing search text means no search', () => {
    assert.equal(parseSearch(undefined), undefined);
    assert.equal(parseSearch(null), undefined);
    assert.equal(parseSearch('   '), undefined);
  });

  test('search text is trimmed', () => {
    assert.equal(parseSearch('  Okafor '), 'Okafor');
  });

  test('search text of 100 characters passes and of 101 is refused', () => {
    assert.equal(parseSearch('a'.repeat(100))?.length, 100);
    assert.throws(() => parseSearch('a'.repeat(101)), badInput('search'));
  });
});
