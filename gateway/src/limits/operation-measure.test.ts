import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { measureOperation } from './operation-measure.js';
import type { OperationMeasurements } from './operation-measure.js';

const schema = buildSchema(`
  type Query {
    modules(first: Int, after: String): ModuleConnection!
    module(code: String!): Module
    me: Student
  }
  type ModuleConnection { edges: [ModuleEdge!]! totalCount: Int! }
  type ModuleEdge { node: Module! }
  type Module { code: String! timetable: [Slot!]! registrations: [Registration!]! }
  type Slot { day: String! room: String! }
  type Registration { id: ID! module: Module! }
  type Student { registrations: [Registration!]! }
`);

function measure(
  source: string,
  variables?: Record<string, unknown>,
  operationName?: string,
): OperationMeasurements {
  const document = parse(source);
  const operation = getOperationAST(document, operationName);
  assert.ok(operation);
  return measureOperation({
    schema,
    document,
    operation,
    source,
    variables,
    defaultListSize: 20,
    listSizeHints: { 'Module.timetable': 5 },
  });
}

describe('measureOperation', () => {
  test('depth counts field levels, with fragments counted as if inlined', () => {
    const inline = measure('{ modules { edges { node { code } } } }');
    const fragment = measure(
      '{ modules { edges { ...E } } } fragment E on ModuleEdge { node { ... on Module { code } } }',
    );
    assert.equal(inline.depth, 4);
    assert.equal(fragment.depth, 4);
  });

  test('aliases are counted through fragments, but aliases of __typename are free', () => {
    const measured = measure(
      '{ a: module(code: "A") { ...F } b: module(code: "B") { t: __typename } } fragment F on Module { c: code }',
    );
    assert.equal(measured.aliases, 3);
  });

  test('only the operation that runs is measured', () => {
    const source =
      '{ modules { totalCount } } query Deep { me { registrations { module { code } } } }';
    const document = parse(source);
    const shallow = measureOperation({
      schema,
      document,
      operation: document.definitions[0] as never,
      source,
      variables: undefined,
      defaultListSize: 20,
      listSizeHints: {},
    });
    assert.equal(shallow.depth, 2);
  });

  test('a paginated field multiplies its selection by "first", or the default page size', () => {
    // modules: 1 + first × (edges: 1 + (node: 1 + code 1)) + totalCount 1
    assert.equal(measure('{ modules(first: 50) { edges { node { code } } } }').cost, 1 + 50 * 3);
    assert.equal(measure('{ modules { edges { node { code } } } }').cost, 1 + 20 * 3);
  });

  test('the edges of a connection are not multiplied a second time', () => {
    const measured = measure('{ modules(first: 10) { edges { node { code } } totalCount } }');
    assert.equal(measured.cost, 1 + 10 * (3 + 1));
  });

  test('an unpaginated list uses its size hint, else the default list size', () => {
    // me: 1 + registrations (1 + 20 × (module: 1 + timetable (1 + 5 × 1)))
    const measured = measure('{ me { registrations { module { timetable { day } } } } }');
    assert.equal(measured.cost, 1 + (1 + 20 * (1 + (1 + 5 * 1))));
  });

  test('page sizes come from literals, variables and variable defaults', () => {
    assert.deepEqual(measure('{ modules(first: 7) { totalCount } }').pages, [
      { coordinate: 'Query.modules', argument: 'first', size: 7 },
    ]);
    assert.equal(
      measure('query ($n: Int) { modules(first: $n) { totalCount } }', { n: 300 }).pages[0]?.size,
      300,
    );
    assert.equal(
      measure('query ($n: Int = 400) { modules(first: $n) { totalCount } }').pages[0]?.size,
      400,
    );
  });

  test('a variable that does not coerce leaves the cost unknown, for execution to refuse', () => {
    const measured = measure('query ($n: Int) { modules(first: $n) { totalCount } }', { n: 'ten' });
    assert.equal(measured.cost, undefined);
  });

  test('tokens, directives and introspection are measured', () => {
    const measured = measure('{ __schema { types { name } } me @skip(if: false) { __typename } }');
    assert.equal(measured.tokens, 20);
    assert.equal(measured.directives, 1);
    assert.equal(measured.introspection, true);
    assert.equal(measure('{ __typename }').introspection, false);
  });
});
