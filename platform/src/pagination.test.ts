import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCursor, encodeCursor, parsePageSize } from './pagination.js';

function isBadInputNaming(argument: string) {
  return (error: any) =>
    error.extensions?.code === 'BAD_USER_INPUT' &&
    error.extensions?.argument === argument &&
    error.message.includes(`"${argument}"`);
}

describe('encodeCursor and decodeCursor', () => {
  test('a cursor decodes to the sort key it was made from', () => {
    const sortKeys = [
      'MATH1001',
      'S0000123',
      '2025-09-01T09:00:00.000Z|0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f',
      'Zoë Ångström|日本語',
      'c1:looks-like-a-prefix',
    ];

    for (const sortKey of sortKeys) {
      assert.equal(decodeCursor(encodeCursor(sortKey)), sortKey);
    }
  });

  test('a cursor is URL-safe text that does not show the sort key', () => {
    const cursor = encodeCursor('MATH1001');

    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.equal(cursor.includes('MATH1001'), false);
  });

  test('a cursor not issued by this service is refused with BAD_USER_INPUT naming the argument', () => {
    const foreign = [
      'MATH1001',
      '',
      Buffer.from('arrayconnection:10').toString('base64'),
      Buffer.from('c2:MATH1001').toString('base64url'),
      Buffer.from('{"offset":20}').toString('base64url'),
      Buffer.from('c1:').toString('base64url'),
    ];

    for (const cursor of foreign) {
      assert.throws(() => decodeCursor(cursor, 'before'), isBadInputNaming('before'), cursor);
    }
  });

  test('the argument named in the error is "after" unless another is given', () => {
    assert.throws(() => decodeCursor('not-a-cursor'), isBadInputNaming('after'));
  });

  test('an oversized cursor is refused without being decoded', () => {
    const oversized = [encodeCursor('A'.repeat(300)), 'A'.repeat(100_000)];

    for (const cursor of oversized) {
      assert.throws(() => decodeCursor(cursor, 'after'), isBadInputNaming('after'));
    }
  });

  // Module and student lists compare the decoded key with `>`: a shortened key would silently
  // start the page at the wrong place instead of telling the client its cursor is broken.
  test('a cursor cut short is refused rather than read as a shorter sort key', () => {
    const cursor = encodeCursor('MATH1001');
    const accepted: string[] = [];

    for (let length = 1; length < cursor.length; length += 1) {
      try {
        accepted.push(`${cursor.slice(0, length)} -> ${decodeCursor(cursor.slice(0, length))}`);
      } catch (error) {
        assert.ok(isBadInputNaming('after')(error), String(error));
      }
    }

    assert.deepEqual(accepted, []);
  });
});

describe('parsePageSize', () => {
  test('an omitted size gives the default', () => {
    assert.equal(parsePageSize(undefined), 20);
    assert.equal(parsePageSize(null), 20);
    assert.equal(parsePageSize(undefined, { defaultSize: 50 }), 50);
  });

  test('sizes from 1 to the maximum are accepted as given', () => {
    assert.equal(parsePageSize(1), 1);
    assert.equal(parsePageSize(100), 100);
    assert.equal(parsePageSize(10, { max: 10 }), 10);
  });

  test('a size below 1, above the maximum or not whole is refused naming the argument', () => {
    for (const size of [0, -1, 101, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => parsePageSize(size), isBadInputNaming('first'), String(size));
    }
    assert.throws(() => parsePageSize(11, { argument: 'last', max: 10 }), isBadInputNaming('last'));
  });

  test('the refusal tells the client the allowed range', () => {
    assert.throws(
      () => parsePageSize(500, { max: 50 }),
      (error: any) => error.message.includes('1 to 50'),
    );
  });
});
