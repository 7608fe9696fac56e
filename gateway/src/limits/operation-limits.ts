import type { GraphQLError } from 'graphql';
import { createRequestError } from '@registrar/platform';
import type { OperationLimits } from './limits.config.js';
import { createLimitError } from './limit-errors.js';
import type { OperationMeasurements } from './operation-measure.js';

/**
 * Compares an operation's measurements with the caller's limits and returns the error of the
 * first limit it breaks, or `undefined` when it keeps them all. Introspection comes first (403
 * FORBIDDEN), then page sizes, depth, aliases, directives, tokens and cost (400 BAD_USER_INPUT).
 * One error at a time: the cheapest fix first, and a client is not told five things at once.
 */
export function checkOperationLimits(
  measured: OperationMeasurements,
  limits: OperationLimits,
): GraphQLError | undefined {
  if (measured.introspection && !limits.introspection) {
    return createRequestError(
      'FORBIDDEN',
      'Introspection (__schema and __type) is open to registry staff only. Sign in as staff to explore the schema.',
    );
  }
  return (
    checkPageSizes(measured, limits) ??
    checkCount(
      'depth',
      measured.depth,
      limits.maxDepth,
      (n, max) =>
        `The query is nested ${n} levels deep; the limit is ${max}. Ask for fewer nested fields, or fetch the deeper ones in a second query.`,
    ) ??
    checkCount(
      'aliases',
      measured.aliases,
      limits.maxAliases,
      (n, max) =>
        `The query uses ${n} aliases; the limit is ${max}. Send fewer aliased fields, or spread them over several requests.`,
    ) ??
    checkCount(
      'directives',
      measured.directives,
      limits.maxDirectives,
      (n, max) =>
        `The query uses ${n} directives; the limit is ${max}. Remove directives that repeat the same condition.`,
    ) ??
    checkCount(
      'tokens',
      measured.tokens,
      limits.maxTokens,
      (n, max) =>
        `The query is ${n} tokens long; the limit is ${max}. Shorten it, or split it into several queries.`,
    ) ??
    checkCost(measured.cost, limits.maxCost)
  );
}

function checkPageSizes(
  measured: OperationMeasurements,
  limits: OperationLimits,
): GraphQLError | undefined {
  const page = measured.pages.find(({ size }) => size < 1 || size > limits.maxPageSize);
  if (!page) return undefined;
  const field = page.coordinate.split('.').pop();
  return createLimitError(
    'pageSize',
    `"${page.argument}" on ${field} must be 1 to ${limits.maxPageSize}; it is ${page.size}. Ask for a smaller page and follow the cursor for the rest.`,
    { max: limits.maxPageSize, actual: page.size, argument: page.argument },
  );
}

function checkCount(
  limit: 'depth' | 'aliases' | 'directives' | 'tokens',
  actual: number,
  max: number,
  describe: (actual: number, max: number) => string,
): GraphQLError | undefined {
  return actual > max ? createLimitError(limit, describe(actual, max), { max, actual }) : undefined;
}

function checkCost(cost: number | undefined, max: number): GraphQLError | undefined {
  if (cost === undefined || cost <= max) return undefined;
  if (cost === Infinity) {
    return createLimitError(
      'cost',
      `The query selects too many fields, once its fragments are expanded, to estimate its cost; the limit is ${max}. Ask for fewer fields.`,
      { max },
    );
  }
  return createLimitError(
    'cost',
    `The query's estimated cost is ${cost}; the limit is ${max}. Ask for smaller pages with "first", or for fewer nested lists.`,
    { max, actual: cost },
  );
}
