import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'graphql';
import { ANONYMOUS } from '../identity.js';
import type { Role, Viewer } from '../identity.js';
import { findForbiddenRootFields } from './forbidden-root-fields.js';

function user(roles: Role[]): Viewer {
  return { kind: 'user', subject: 'user-1', roles, sessionId: 'session-1' };
}

function forbidden(source: string, viewer: Viewer, operationName?: string): string[] {
  return findForbiddenRootFields(parse(source), operationName, viewer);
}

describe('findForbiddenRootFields', () => {
  test('a student asking for the list of students is told which root field is out of reach', () => {
    assert.deepEqual(forbidden('{ me { id } students { totalCount } }', user(['student'])), [
      'Query.students',
    ]);
  });

  test('anonymous callers may read the catalogue but nothing that needs a session', () => {
    assert.deepEqual(
      forbidden('{ modules { totalCount } module(code: "A") { code } }', ANONYMOUS),
      [],
    );
    assert.deepEqual(forbidden('{ modules { totalCount } me { id } }', ANONYMOUS), ['Query.me']);
  });

  test('ownership is not judged: a student may ask for any registration or payment by id', () => {
    const source = '{ registration(id: "r") { id } payment(id: "p") { id } }';
    assert.deepEqual(forbidden(source, user(['student'])), []);
  });

  test('finance may ask for a payment but not for the list of registrations', () => {
    const source =
      '{ payment(id: "p") { amount { amount } } registrations { pageInfo { endCursor } } }';
    assert.deepEqual(forbidden(source, user(['finance'])), ['Query.registrations']);
  });

  test('a partner is refused every root field outside the catalogue', () => {
    const source = '{ modules { totalCount } student(id: "s") { email } me { id } }';
    assert.deepEqual(forbidden(source, user(['partner'])), ['Query.student', 'Query.me']);
  });

  test('root fields inside inline fragments and fragment spreads count, each coordinate once', () => {
    const source = `
      query { ...Lists ... on Query { students { totalCount } } students { totalCount } }
      fragment Lists on Query { registrations { pageInfo { hasNextPage } } }
    `;
    assert.deepEqual(forbidden(source, user(['student'])), [
      'Query.registrations',
      'Query.students',
    ]);
  });

  test('a fragment that spreads itself does not loop', () => {
    const source = 'query { ...Loop } fragment Loop on Query { students { totalCount } ...Loop }';
    assert.deepEqual(forbidden(source, ANONYMOUS), ['Query.students']);
  });

  test('only the operation named by operationName is checked', () => {
    const source =
      'query Catalogue { modules { totalCount } } query Directory { students { totalCount } }';
    assert.deepEqual(forbidden(source, user(['student']), 'Catalogue'), []);
    assert.deepEqual(forbidden(source, user(['student']), 'Directory'), ['Query.students']);
  });

  test("a mutation's root fields are checked against the Mutation rules", () => {
    const source = 'mutation { registerForModule(moduleCode: "COMP1001") { id } }';
    assert.deepEqual(forbidden(source, user(['student'])), []);
    assert.deepEqual(forbidden(source, user(['finance'])), ['Mutation.registerForModule']);
  });

  test('a root field with no rule is forbidden to every role, admins included', () => {
    assert.deepEqual(forbidden('{ auditLog { note } }', user(['admin'])), ['Query.auditLog']);
  });

  test('meta fields are left alone, and an unknown operation name yields an empty list', () => {
    assert.deepEqual(forbidden('{ __typename __schema { queryType { name } } }', ANONYMOUS), []);
    assert.deepEqual(forbidden('query A { students { totalCount } }', ANONYMOUS, 'B'), []);
  });
});
