import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, isRegisteredError } from './errors.js';
import type { Logger } from './logger.js';

// Errors that graphql-js and Apollo Server raise themselves for a bad request; their messages
// describe the request, never the server, so they pass through.
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const MASKED_MESSAGE = 'Something went wrong on our side. It has been logged; please try again.';

/**
 * Creates the one place where a process turns an unknown throw into an internal error: the
 * cause is logged once, the client sees a masked message, and no stack trace leaves the process.
 */
export function createErrorFormatter(
  logger: Logger,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    if (isClientSafe(formatted, original)) {
      return withoutStacktrace(formatted);
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
    return {
      message: MASKED_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

// A registered code other than INTERNAL_SERVER_ERROR is only ever set on purpose (Apollo gives
// every unknown throw INTERNAL_SERVER_ERROR). At the gateway, subgraph errors arrive as plain
// objects that the subgraph's own boundary has already checked and, if needed, masked.
function isClientSafe(formatted: GraphQLFormattedError, original: unknown): boolean {
  const code = formatted.extensions?.['code'];
  if (typeof code !== 'string') return false;
  if (REQUEST_ERROR_CODES.has(code)) return true;
  if (code === 'INTERNAL_SERVER_ERROR') return formatted.message === MASKED_MESSAGE;
  return Object.hasOwn(ERROR_CODES, code) || isRegisteredError(original);
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _omitted, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
