import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { createErrorFormatter } from './error-boundary.js';
import { createError } from './errors.js';
import { createLogger } from './logger.js';

interface Outcome {
  errors: readonly GraphQLFormattedError[];
  logged: any[];
}

const typeDefs = `
  type Query {
    module(code: String!): String
    databaseDown: String
  }
`;

const resolvers = {
  Query: {
    module: (_: unknown, { code }: { code: string }) => {
      throw createError('NOT_FOUND', `No module has the code ${code}. Check the code and retry.`, {
        argument: 'code',
      });
    },
    databaseDown: () => {
      throw new Error('db password=secret');
    },
  },
};

describe('createErrorFormatter', () => {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'error-boundary-test',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const formatError = createErrorFormatter(logger);
  let server: ApolloServer;

  before(async () => {
    // Stack traces are switched on so the test shows the formatter, not Apollo, removes them.
    server = new ApolloServer({
      typeDefs,
      resolvers,
      formatError,
      includeStacktraceInErrorResponses: true,
    });
    await server.start();
  });
  after(async () => {
    await server.stop();
  });

  async function execute(query: string): Promise<Outcome> {
    const from = lines.length;
    const response = await server.executeOperation({ query });
    assert.equal(response.body.kind, 'single');
    const errors = response.body.kind === 'single' ? response.body.singleResult.errors : [];
    return { errors: errors ?? [], logged: lines.slice(from).map((line) => JSON.parse(line)) };
  }

  function format(formatted: GraphQLFormattedError, error: unknown): Outcome {
    const from = lines.length;
    const result = formatError(formatted, error);
    return { errors: [result], logged: lines.slice(from).map((line) => JSON.parse(line)) };
  }

  test('an error made with createError reaches the client as thrown, without a stack trace', async () => {
    const { errors, logged } = await execute('{ module(code: "XX0000") }');

    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, 'No module has the code XX0000. Check the code and retry.');
    assert.deepEqual(errors[0]!.extensions, { code: 'NOT_FOUND', argument: 'code' });
    assert.deepEqual(errors[0]!.path, ['module']);
    assert.deepEqual(logged, []);
  });

  test('a GraphQL validation error reaches the client as graphql-js wrote it', async () => {
    const { errors, logged } = await execute('{ modules }');

    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /Cannot query field "modules" on type "Query"/);
    assert.equal(errors[0]!.extensions?.['code'], 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(errors[0]!.extensions?.['stacktrace'], undefined);
    assert.deepEqual(logged, []);
  });

  test('a syntax error in the query reaches the client as graphql-js wrote it', async () => {
    const { errors, logged } = await execute('{ module(code: "XX0000") ');

    assert.match(errors[0]!.message, /Syntax Error/);
    assert.equal(errors[0]!.extensions?.['code'], 'GRAPHQL_PARSE_FAILED');
    assert.deepEqual(logged, []);
  });

  test('a plain Error is masked as INTERNAL_SERVER_ERROR and its message never reaches the client', async () => {
    const { errors } = await execute('{ databaseDown }');

    assert.equal(errors.length, 1);
    const [error] = errors;
    assert.equal(error!.extensions?.['code'], 'INTERNAL_SERVER_ERROR');
    assert.equal(error!.extensions?.['stacktrace'], undefined);
    assert.deepEqual(error!.path, ['databaseDown']);
    const sent = JSON.stringify(error);
    assert.equal(sent.includes('password'), false);
    assert.equal(sent.includes('secret'), false);
    assert.equal(sent.includes('error-boundary.test'), false);
  });

  test('a masked error is logged exactly once, with its original message', async () => {
    const { logged } = await execute('{ databaseDown }');

    assert.equal(logged.length, 1);
    assert.equal(logged[0].level, 50);
    assert.equal(logged[0].err.message, 'db password=secret');
    assert.deepEqual(logged[0].path, ['databaseDown']);
  });

  test('an already-masked internal error passes through unchanged and is not logged again', async () => {
    const { errors: first } = await execute('{ databaseDown }');
    const masked = { ...first[0]!, path: ['registration', 'module'] };

    // As at the gateway: a subgraph's error arrives as a plain formatted object.
    const { errors, logged } = format(masked, masked);

    assert.deepEqual(errors[0], masked);
    assert.deepEqual(logged, []);
  });

  test('an internal error carrying its own message is masked and logged once', () => {
    const leaked = {
      message: 'connect ECONNREFUSED 10.0.0.5:5432',
      path: ['registration'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: connect ECONNREFUSED'] },
    };

    const { errors, logged } = format(leaked, new Error(leaked.message));

    assert.equal(errors[0]!.extensions?.['code'], 'INTERNAL_SERVER_ERROR');
    assert.equal(errors[0]!.extensions?.['stacktrace'], undefined);
    assert.equal(JSON.stringify(errors[0]).includes('ECONNREFUSED'), false);
    assert.deepEqual(errors[0]!.path, ['registration']);
    assert.equal(logged.length, 1);
  });

  test('an error with no code at all is masked', () => {
    const { errors, logged } = format({ message: 'Unexpected token < in JSON' }, new Error('x'));

    assert.equal(errors[0]!.extensions?.['code'], 'INTERNAL_SERVER_ERROR');
    assert.notEqual(errors[0]!.message, 'Unexpected token < in JSON');
    assert.equal(logged.length, 1);
  });

  test('a client-safe error loses its stack trace', () => {
    const formatted = {
      message: 'That seat is already taken. Choose another section.',
      extensions: { code: 'CONFLICT', stacktrace: ['GraphQLError: That seat is already taken.'] },
    };

    const { errors } = format(formatted, createError('CONFLICT', formatted.message));

    assert.deepEqual(errors[0], { message: formatted.message, extensions: { code: 'CONFLICT' } });
  });
});
