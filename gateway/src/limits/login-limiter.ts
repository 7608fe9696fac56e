import type { Logger } from '@registrar/platform';
import type { RateLimits } from './limits.config.js';
import {
  createLimitStoreDownError,
  createRateLimitedError,
  describeWindow,
} from './limit-errors.js';
import { rateLimitSubjectOf } from './client-ip.js';
import { COUNTER_NAMES } from './rate-limit-keys.js';
import { hashUsername } from './rate-limit-store.js';
import type { RateLimitOutcome, RateLimitStore } from './rate-limit-store.js';

/**
 * Guards sign-in against password guessing and credential stuffing. The login route calls
 * {@link LoginLimiter.checkLogin} before it verifies a password, then records the outcome.
 * Every method is a plain function, so it may be passed on unbound.
 */
export interface LoginLimiter {
  /**
   * Throws a RATE_LIMITED error (429, `retryAfterSeconds`) when the account or the client's
   * network has spent its failed attempts, and SERVICE_UNAVAILABLE (503) when the store cannot
   * be reached: sign-in fails closed, since an unlimited login is what an attacker wants.
   */
  checkLogin(username: string, ip: string): Promise<void>;
  /** Counts a failed sign-in against the account and the network. Throws 503 as checkLogin does. */
  recordLoginFailure(username: string, ip: string): Promise<void>;
  /**
   * Forgets the account's failures after a successful sign-in. The network's count stays, or
   * one valid account would clear the way for guessing at others. Never throws: a store outage
   * must not undo a sign-in that succeeded.
   */
  resetLoginFailures(username: string): Promise<void>;
}

/**
 * Creates the login limiter. Accounts are counted under the SHA-256 of the lower-cased
 * username, so the store never holds a username and an unknown name is counted like a real one
 * (a refusal does not reveal which accounts exist).
 */
export function createLoginLimiter(options: {
  store: RateLimitStore;
  limits: Pick<RateLimits, 'loginFailuresPerAccount' | 'loginFailuresPerIp'>;
  logger: Logger;
}): LoginLimiter {
  const { loginFailuresPerAccount: perAccount, loginFailuresPerIp: perIp } = options.limits;
  const accounts = options.store.counter(COUNTER_NAMES.loginFailuresPerAccount, perAccount);
  const networks = options.store.counter(COUNTER_NAMES.loginFailuresPerIp, perIp);

  return {
    async checkLogin(username, ip) {
      const [account, network] = await Promise.all([
        accounts.peek(hashUsername(username)),
        networks.peek(rateLimitSubjectOf(ip)),
      ]);
      refuseIfSpent(
        account,
        `This account has had ${perAccount.points} failed sign-ins in ${describeWindow(perAccount.durationSeconds)}, so signing in to it is paused.`,
      );
      refuseIfSpent(
        network,
        `Your network has had ${perIp.points} failed sign-ins in ${describeWindow(perIp.durationSeconds)}, so signing in from it is paused.`,
      );
    },
    async recordLoginFailure(username, ip) {
      const outcomes = await Promise.all([
        accounts.add(hashUsername(username)),
        networks.add(rateLimitSubjectOf(ip)),
      ]);
      if (outcomes.some((outcome) => outcome.kind === 'unavailable')) {
        throw createLimitStoreDownError('Signing in');
      }
    },
    async resetLoginFailures(username) {
      if (!(await accounts.reset(hashUsername(username)))) {
        options.logger.warn(
          { limit: 'login-account' },
          'could not clear failed sign-ins after a successful one; they expire on their own',
        );
      }
    },
  };
}

function refuseIfSpent(outcome: RateLimitOutcome, what: string): void {
  if (outcome.kind === 'unavailable') throw createLimitStoreDownError('Signing in');
  if (outcome.kind === 'limited') throw createRateLimitedError(what, outcome.retryAfterMs);
}
