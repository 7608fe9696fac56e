import { GraphQLError } from 'graphql';

/**
 * Every error code a client can see, with what it means and the HTTP status it maps to.
 * The `satisfies` clause makes a code without a description or status a compile error.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: { status: 400, description: 'An argument is malformed or out of range.' },
  NOT_FOUND: { status: 404, description: 'The named thing does not exist.' },
  UNAUTHENTICATED: { status: 401, description: 'No valid session accompanies the request.' },
  FORBIDDEN: { status: 403, description: 'The caller may not do or see this.' },
  CONFLICT: { status: 409, description: 'The request clashes with the current state.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; retry after the given delay.' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    description: 'A service this request needs is down; retry shortly.',
  },
  INTERNAL_SERVER_ERROR: { status: 500, description: 'An unexpected failure; it has been logged.' },
} as const satisfies Record<string, { status: number; description: string }>;

/** A code from {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Creates a client-facing error with a registered code. The message must be a full sentence that
 * names the thing and says what to do; it must never hold personal data. Field errors leave the
 * HTTP status alone (a partial result is still a 200, as GraphQL over HTTP expects).
 */
export function createError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * Creates an error that refuses the whole request before execution (no session, rate limited):
 * the response carries the code's HTTP status from {@link ERROR_CODES}.
 */
export function createRequestError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...extensions, code, http: { status: ERROR_CODES[code].status } },
  });
}

/** Tells whether a value is a GraphQL error carrying one of our registered codes. */
export function isRegisteredError(error: unknown): error is GraphQLError {
  const code = error instanceof GraphQLError ? error.extensions['code'] : undefined;
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/**
 * Asserts a condition that only a programming mistake can break. Its failure is an internal
 * error: the boundary masks it for clients and logs it once.
 */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(`Invariant failed: ${message}`);
  }
}
