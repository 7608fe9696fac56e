import { rateLimitSubjectOf } from './client-ip.js';
import { DEFAULT_LIMITS } from './limits.config.js';
import { hashIdentifier, hashUsername } from './rate-limit-store.js';

/** The name of each counter: the middle part of its keys, `<keyPrefix>:<name>:<subject>`. */
export const COUNTER_NAMES = {
  operationsPerIp: 'operations-ip',
  operationsPerUser: 'operations-user',
  loginFailuresPerAccount: 'login-account',
  loginFailuresPerIp: 'login-ip',
  mutationPerIp: (field: string) => `mutation-${field}`,
} as const;

/**
 * The store keys of the rate limits, for runbooks and tests: to lift a block, delete its key.
 * Subjects are put as the limiters put them: usernames and user ids hashed, IPv6 by /64.
 */
export function rateLimitKeys(keyPrefix: string = DEFAULT_LIMITS.keyPrefix) {
  const key = (name: string, subject: string) => `${keyPrefix}:${name}:${subject}`;
  return {
    operationsPerIp: (ip: string) => key(COUNTER_NAMES.operationsPerIp, rateLimitSubjectOf(ip)),
    operationsPerUser: (subject: string) =>
      key(COUNTER_NAMES.operationsPerUser, hashIdentifier(subject)),
    loginFailuresPerAccount: (username: string) =>
      key(COUNTER_NAMES.loginFailuresPerAccount, hashUsername(username)),
    loginFailuresPerIp: (ip: string) =>
      key(COUNTER_NAMES.loginFailuresPerIp, rateLimitSubjectOf(ip)),
    mutationPerIp: (field: string, ip: string) =>
      key(COUNTER_NAMES.mutationPerIp(field), rateLimitSubjectOf(ip)),
  };
}
