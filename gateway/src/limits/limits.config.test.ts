import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANONYMOUS } from '@registrar/platform';
import {
  DEFAULT_LIMITS,
  limitRoleOf,
  maxTokensOfAnyRole,
  resolveLimitsConfig,
} from './limits.config.js';

describe('limits configuration', () => {
  test('no overrides give the defaults', () => {
    assert.deepEqual(resolveLimitsConfig(), DEFAULT_LIMITS);
  });

  test('an override changes one setting of one role and keeps the rest', () => {
    const config = resolveLimitsConfig({
      roles: { student: { maxDepth: 12 } },
      rateLimits: { operationsPerUser: { points: 50, durationSeconds: 60 } },
    });
    assert.equal(config.roles.student.maxDepth, 12);
    assert.equal(config.roles.student.maxAliases, DEFAULT_LIMITS.roles.student.maxAliases);
    assert.equal(config.roles.staff.maxDepth, DEFAULT_LIMITS.roles.staff.maxDepth);
    assert.deepEqual(config.rateLimits.mutationsPerIp, DEFAULT_LIMITS.rateLimits.mutationsPerIp);
  });

  test('a setting that is not a positive integer stops start-up with its name', () => {
    assert.throws(
      () => resolveLimitsConfig({ roles: { finance: { maxCost: 0 } } }),
      /roles\.finance\.maxCost must be a positive integer; it is 0/,
    );
    assert.throws(
      () =>
        resolveLimitsConfig({
          rateLimits: { mutationsPerIp: { dropModule: { points: 1.5, durationSeconds: 60 } } },
        }),
      /rateLimits\.mutationsPerIp\.dropModule\.points/,
    );
  });

  test('the limits of the most trusted role apply; no session means anonymous', () => {
    assert.equal(limitRoleOf(ANONYMOUS), 'anonymous');
    const viewer = { kind: 'user', subject: 'u', sessionId: 's' } as const;
    assert.equal(limitRoleOf({ ...viewer, roles: ['student', 'staff'] }), 'staff');
    assert.equal(limitRoleOf({ ...viewer, roles: ['finance'] }), 'finance');
    assert.equal(limitRoleOf({ ...viewer, roles: [] }), 'student');
  });

  test("the parser's ceiling is the largest token limit of any role", () => {
    assert.equal(maxTokensOfAnyRole(DEFAULT_LIMITS), 5000);
  });
});
