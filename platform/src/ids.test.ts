import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isUuid, parseUuid } from './ids.js';

describe('ids', () => {
  test('a UUID is normalised to lower case without surrounding spaces', () => {
    assert.equal(
      parseUuid(' 0B5E0F7C-1D2A-5C3E-9F40-6A7B8C9D0E1F ', 'id'),
      '0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f',
    );
  });

  test('anything else is refused with BAD_USER_INPUT naming the argument and the kind of id', () => {
    for (const value of [
      '',
      'abc',
      "1' OR '1'='1",
      '0b5e0f7c1d2a5c3e9f406a7b8c9d0e1f',
      'x'.repeat(5000),
    ]) {
      assert.throws(
        () => parseUuid(value, 'registrationId', 'registration id'),
        (error: any) =>
          error.extensions.code === 'BAD_USER_INPUT' &&
          error.extensions.argument === 'registrationId' &&
          error.message.includes('"registrationId" must be a registration id'),
      );
    }
  });

  test('isUuid accepts only the canonical lower-case form', () => {
    assert.equal(isUuid('0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f'), true);
    assert.equal(isUuid('0B5E0F7C-1D2A-5C3E-9F40-6A7B8C9D0E1F'), false);
  });
});
