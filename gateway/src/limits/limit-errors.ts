import type { GraphQLError } from 'graphql';
import { ERROR_CODES, createError, createRequestError } from '@registrar/platform';

/** The operation limits that a request can exceed, as named in `extensions.limit`. */
export type LimitName =
  'depth' | 'aliases' | 'directives' | 'tokens' | 'cost' | 'pageSize' | 'batchSize';

/**
 * Creates the 400 refusal of an operation over one of its limits. `extensions` carry the limit's
 * name, the maximum and what the operation asked for, so a client can shrink it.
 */
export function createLimitError(
  limit: LimitName,
  message: string,
  details: { max: number; actual?: number; argument?: string },
): GraphQLError {
  return createRequestError('BAD_USER_INPUT', message, { limit, ...details });
}

/**
 * Creates the 429 refusal of a rate limit: code RATE_LIMITED, `extensions.retryAfterSeconds`,
 * and a `Retry-After` header (RFC 9110 §10.2.3) that Apollo Server copies to the response.
 * `what` completes "…; try again in N seconds." with the limit that was reached.
 */
export function createRateLimitedError(what: string, retryAfterMs: number): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return createError('RATE_LIMITED', `${what} Try again in ${describeDelay(retryAfterSeconds)}.`, {
    retryAfterSeconds,
    http: {
      status: ERROR_CODES.RATE_LIMITED.status,
      headers: new Map([['retry-after', String(retryAfterSeconds)]]),
    },
  });
}

/** Creates the 503 refusal of an action that must not run while its rate-limit store is down. */
export function createLimitStoreDownError(action: string): GraphQLError {
  return createRequestError(
    'SERVICE_UNAVAILABLE',
    `${action} is unavailable for a moment because the gateway cannot reach its rate-limit store. Try again in a minute.`,
  );
}

/** Says a delay in whole seconds as a person would: "45 seconds", "1 minute", "15 minutes". */
export function describeDelay(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** Says a rate-limit window as a person would: "a minute", "15 minutes", "an hour". */
export function describeWindow(seconds: number): string {
  if (seconds === 60) return 'a minute';
  if (seconds === 3600) return 'an hour';
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
