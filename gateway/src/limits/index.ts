export { createGatewayLimits } from './gateway-limits.js';
export type { GatewayLimits, GatewayLimitsOptions } from './gateway-limits.js';
export { DEFAULT_LIMITS, LIMIT_ROLES, limitRoleOf, resolveLimitsConfig } from './limits.config.js';
export type {
  LimitRole,
  LimitsConfig,
  LimitsOverrides,
  OperationLimits,
  RateLimit,
  RateLimits,
  TrustProxy,
} from './limits.config.js';
export type { LimitsContext } from './limits.plugin.js';
export type { LoginLimiter } from './login-limiter.js';
export type { BatchLimitErrorBody } from './batch-limit.middleware.js';
export type { LimitName } from './limit-errors.js';
export { rateLimitKeys } from './rate-limit-keys.js';
