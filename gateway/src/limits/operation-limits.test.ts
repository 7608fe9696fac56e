import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS } from './limits.config.js';
import { checkOperationLimits } from './operation-limits.js';
import type { OperationMeasurements } from './operation-measure.js';

describe('checkOperationLimits', () => {
  const student = DEFAULT_LIMITS.roles.student;
  const within: OperationMeasurements = {
    depth: 3,
    aliases: 0,
    directives: 0,
    tokens: 20,
    cost: 30,
    pages: [],
    introspection: false,
  };

  test('an operation within every limit passes', () => {
    assert.equal(checkOperationLimits(within, student), undefined);
  });

  test('each limit is refused with BAD_USER_INPUT, http 400 and a sentence naming both numbers', () => {
    const cases = [
      [{ depth: 14 }, 'depth', /nested 14 levels deep; the limit is 10\./],
      [{ aliases: 16 }, 'aliases', /uses 16 aliases; the limit is 15\./],
      [{ directives: 21 }, 'directives', /uses 21 directives; the limit is 20\./],
      [{ tokens: 2001 }, 'tokens', /is 2001 tokens long; the limit is 2000\./],
      [{ cost: 10_001 }, 'cost', /estimated cost is 10001; the limit is 10000\./],
    ] as const;
    for (const [change, limit, message] of cases) {
      const error = checkOperationLimits({ ...within, ...change }, student);
      assert.ok(error, limit);
      assert.equal(error.extensions['code'], 'BAD_USER_INPUT');
      assert.equal(error.extensions['limit'], limit);
      assert.deepEqual(error.extensions['http'], { status: 400 });
      assert.match(error.message, message);
    }
  });

  test('pages outside 1 to the maximum are refused naming the argument', () => {
    for (const size of [0, 101]) {
      const pages = [{ coordinate: 'Query.modules', argument: 'first' as const, size }];
      const error = checkOperationLimits({ ...within, pages }, student);
      assert.equal(error?.extensions['argument'], 'first');
      assert.match(error?.message ?? '', /"first" on modules must be 1 to 100/);
    }
  });

  test('introspection is FORBIDDEN to roles without it and allowed to staff', () => {
    const measured = { ...within, introspection: true };
    const error = checkOperationLimits(measured, student);
    assert.equal(error?.extensions['code'], 'FORBIDDEN');
    assert.deepEqual(error?.extensions['http'], { status: 403 });
    assert.equal(checkOperationLimits(measured, DEFAULT_LIMITS.roles.staff), undefined);
  });

  test('a cost past the node guard is refused without a number', () => {
    const error = checkOperationLimits({ ...within, cost: Infinity }, student);
    assert.equal(error?.extensions['limit'], 'cost');
    assert.equal(error?.extensions['actual'], undefined);
  });
});
