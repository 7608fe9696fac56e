export { startGateway } from './gateway.js';
export type { GatewayOptions, RunningGateway } from './gateway.js';
export type { GatewayContext } from './gateway-context.js';
export {
  ACCESS_TOKEN_SECONDS,
  generateSigningKey,
  importSigningKey,
  signAccessToken,
  verifyAccessToken,
} from './auth/access-tokens.js';
export type { AccessClaims, SigningKey } from './auth/access-tokens.js';
export { ACCESS_COOKIE, createAuthenticator } from './auth/authenticate.js';
export { createSessionStore } from './auth/session-store.js';
export type { Principal, Session, SessionStore } from './auth/session-store.js';
export { createKeyRing } from './auth/key-ring.js';
export type { KeyRing, KeyRingOptions } from './auth/key-ring.js';
export { openAccountDirectory } from './auth/account-directory.js';
export type { Account, AccountDirectory } from './auth/account-directory.js';
export { hashPassword, verifyPassword } from './auth/password-hash.js';
export { REFRESH_COOKIE, REFRESH_PATH } from './auth/cookies.js';
export type { LoginThrottle } from './auth/auth-routes.js';
export {
  DEFAULT_LIMITS,
  createGatewayLimits,
  rateLimitKeys,
  resolveLimitsConfig,
} from './limits/index.js';
export type { GatewayLimits, LimitsConfig, LimitsOverrides, LoginLimiter } from './limits/index.js';
