import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANONYMOUS, ROLES } from '../identity.js';
import type { Role, Viewer } from '../identity.js';
import { PERMISSIONS, allowsViewer, findAccess } from './permissions.js';

// Fields a partner may read beyond the public ones. Adding one is a decision about a third
// party's access to personal data, so it must be made here as well as in the table.
const PARTNER_FIELDS: readonly string[] = [];

const KEY_PATTERN = /^_?[A-Z][A-Za-z]*\.(\*|_?[a-z][A-Za-z]*)$/;

function user(roles: Role[]): Viewer {
  return { kind: 'user', subject: 'user-1', roles, sessionId: 'session-1' };
}

describe('the permission table', () => {
  test('every key names a type and a field or `*`, and every role list is known and not empty', () => {
    for (const [key, access] of Object.entries(PERMISSIONS)) {
      assert.match(key, KEY_PATTERN, key);
      if (access === 'public') continue;
      assert.ok(access.length > 0, `${key} lets nobody through; leave it out instead`);
      for (const role of access) assert.ok(ROLES.includes(role), `${key}: ${role}`);
    }
  });

  test('the catalogue is public, and the lists of students and registrations are for the registry only', () => {
    for (const key of ['Query.modules', 'Query.module', 'Module.seatsAvailable', 'Money.amount']) {
      const [type = '', field = ''] = key.split('.');
      assert.equal(findAccess(type, field), 'public', key);
    }
    assert.deepEqual(findAccess('Query', 'students'), ['staff', 'admin']);
    assert.deepEqual(findAccess('Query', 'registrations'), ['staff', 'admin']);
    assert.deepEqual(findAccess('Module', 'registrations'), ['staff', 'admin']);
  });

  test('no field of a student, a registration or a payment is open to anonymous callers', () => {
    for (const [key, access] of Object.entries(PERMISSIONS)) {
      if (/^(Student|Registration|RegistrationHistoryEntry|Payment)\./.test(key)) {
        assert.notEqual(access, 'public', key);
      }
    }
  });

  test('partners reach only the public fields and those listed for them, never personal ones', () => {
    for (const [key, access] of Object.entries(PERMISSIONS)) {
      if (access === 'public' || PARTNER_FIELDS.includes(key)) continue;
      assert.ok(!access.includes('partner'), `${key} lets partners through`);
    }
    const partner = user(['partner']);
    assert.equal(allowsViewer(findAccess('Student', 'email'), partner), false);
    assert.equal(allowsViewer(findAccess('Student', 'dateOfBirth'), partner), false);
  });

  test('finance may read payments but not list registrations', () => {
    const finance = user(['finance']);
    assert.equal(allowsViewer(findAccess('Query', 'payment'), finance), true);
    assert.equal(allowsViewer(findAccess('Payment', 'amount'), finance), true);
    assert.equal(allowsViewer(findAccess('Query', 'registrations'), finance), false);
  });
});

describe('findAccess', () => {
  test("a field's own rule wins over its type's default", () => {
    assert.deepEqual(findAccess('Registration', 'payment'), ['student', 'finance']);
    assert.deepEqual(findAccess('Registration', 'status'), PERMISSIONS['Registration.*']);
  });

  test('a field with neither its own rule nor a type default has no rule', () => {
    assert.equal(findAccess('Module', 'internalNotes'), undefined);
    assert.equal(findAccess('AuditLog', 'entries'), undefined);
    assert.equal(findAccess('Query', 'constructor'), undefined);
  });
});

describe('allowsViewer', () => {
  test('a public rule lets anyone through, anonymous callers included', () => {
    assert.equal(allowsViewer('public', ANONYMOUS), true);
    assert.equal(allowsViewer('public', user(['partner'])), true);
  });

  test('a role rule lets through a viewer holding any one of its roles, and nobody else', () => {
    assert.equal(allowsViewer(['staff', 'admin'], user(['student', 'admin'])), true);
    assert.equal(allowsViewer(['staff', 'admin'], user(['student'])), false);
    assert.equal(allowsViewer(['staff', 'admin'], user([])), false);
    assert.equal(allowsViewer(['staff', 'admin'], ANONYMOUS), false);
  });

  test('a missing rule lets nobody through, not even an admin', () => {
    assert.equal(allowsViewer(undefined, user(['admin'])), false);
  });
});
