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
