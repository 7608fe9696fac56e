import { Kind } from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import type { Viewer } from '@registrar/platform';
import type { RateLimits } from './limits.config.js';
import {
  createLimitStoreDownError,
  createRateLimitedError,
  describeWindow,
} from './limit-errors.js';
import { rateLimitSubjectOf } from './client-ip.js';
import { COUNTER_NAMES } from './rate-limit-keys.js';
import { hashIdentifier } from './rate-limit-store.js';
import type { RateLimitCounter, RateLimitStore } from './rate-limit-store.js';

/** The rate limits on GraphQL operations; each method returns the refusal, or `undefined`. */
export interface OperationRateLimiter {
  /**
   * Counts one operation (one of a batch counts one) against the signed-in user, or against
   * the client's network for a caller without a session. Fails open: when the store cannot be
   * reached the operation passes, and the outage is logged once as a warning.
   */
  admitOperation(viewer: Viewer, ip: string): Promise<GraphQLError | undefined>;
  /**
   * Counts every call of a rate-limited mutation field in the operation, aliases included,
   * against the client's network. Fails closed (503) when the store cannot be reached.
   */
  admitMutations(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    ip: string,
  ): Promise<GraphQLError | undefined>;
}

/** Creates the operation rate limits over the rate-limit store. */
export function createOperationRateLimiter(options: {
  store: RateLimitStore;
  limits: RateLimits;
}): OperationRateLimiter {
  const { store, limits } = options;
  const perIp = store.counter(COUNTER_NAMES.operationsPerIp, limits.operationsPerIp);
  const perUser = store.counter(COUNTER_NAMES.operationsPerUser, limits.operationsPerUser);
  const mutations = new Map(
    Object.entries(limits.mutationsPerIp).map(([field, limit]) => [
      field,
      { limit, counter: store.counter(COUNTER_NAMES.mutationPerIp(field), limit) },
    ]),
  );
  const ipWindow = describeWindow(limits.operationsPerIp.durationSeconds);
  const userWindow = describeWindow(limits.operationsPerUser.durationSeconds);

  return {
    async admitOperation(viewer, ip) {
      if (viewer.kind === 'user') {
        const refusal = await admit(
          perUser,
          hashIdentifier(viewer.subject),
          `You have sent ${limits.operationsPerUser.points} GraphQL operations in ${userWindow}, the most one user may send.`,
        );
        if (refusal || !limits.countSignedInOperationsPerIp) return refusal;
      }
      return admit(
        perIp,
        rateLimitSubjectOf(ip),
        `Your network has sent ${limits.operationsPerIp.points} GraphQL operations in ${ipWindow}, the most allowed per network.`,
      );
    },
    async admitMutations(document, operation, ip) {
      if (operation.operation !== 'mutation') return undefined;
      const calls = countRootFields(operation.selectionSet, fragmentsOf(document));
      for (const [field, { limit, counter }] of mutations) {
        const count = calls.get(field) ?? 0;
        if (count === 0) continue;
        const outcome = await counter.consume(rateLimitSubjectOf(ip), count);
        if (outcome.kind === 'unavailable') return createLimitStoreDownError(`Calling ${field}`);
        if (outcome.kind === 'limited') {
          return createRateLimitedError(
            `${field} may be called ${limit.points} times in ${describeWindow(limit.durationSeconds)} from one network, and yours has reached that.`,
            outcome.retryAfterMs,
          );
        }
      }
      return undefined;
    },
  };
}

async function admit(
  counter: RateLimitCounter,
  subject: string,
  what: string,
): Promise<GraphQLError | undefined> {
  const outcome = await counter.consume(subject);
  return outcome.kind === 'limited'
    ? createRateLimitedError(what, outcome.retryAfterMs)
    : undefined;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Counts the calls of each root field: its distinct response keys (alias, else name), since
 * GraphQL runs fields that share a response key once. Fragments are followed once each.
 * `@skip` and `@include` are ignored on purpose: a switched-off call counts, so a variable
 * cannot dodge the count.
 */
function countRootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): Map<string, number> {
  const keys = new Map<string, Set<string>>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const named = keys.get(name) ?? new Set<string>();
        keys.set(name, named.add(selection.alias?.value ?? name));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(selectionSet);
  return new Map([...keys].map(([name, responseKeys]) => [name, responseKeys.size]));
}
