export {
  ConfigError,
  parseConfig,
  portSchema,
  postgresUrlSchema,
  logLevelSchema,
  envBooleanSchema,
  commaListSchema,
  DEFAULT_ALLOWED_ORIGINS,
} from './config.js';
export { createLogger, REDACTED_PATHS } from './logger.js';
export type { Logger, CreateLoggerOptions } from './logger.js';
export {
  ERROR_CODES,
  createError,
  createRequestError,
  isRegisteredError,
  invariant,
} from './errors.js';
export type { ErrorCode } from './errors.js';
export { createErrorFormatter } from './error-boundary.js';
export { createDataSource, openDatabase } from './database.js';
export type { DataSourceOptions, QueryCounter } from './database.js';
export { connectRedis, createMemoryStore, createRedisStore } from './key-value-store.js';
export type { KeyValueStore } from './key-value-store.js';
export {
  ANONYMOUS,
  IDENTITY_HEADER,
  ROLES,
  generateIdentityKeys,
  hasRole,
  importIdentityKeys,
  importIdentityPublicKey,
  signIdentity,
  verifyIdentity,
} from './identity.js';
export type { IdentityKeys, Role, Viewer } from './identity.js';
export { mountHealthRoutes } from './health.js';
export type { ReadinessCheck } from './health.js';
export { buildFederatedSchema } from './federation.js';
export type { FederatedSchemaOptions, ReferenceResolver } from './federation.js';
export { startSubgraphServer } from './subgraph-server.js';
export type { BaseContext, SubgraphServer, SubgraphServerOptions } from './subgraph-server.js';
export { decodeCursor, encodeCursor, parsePageSize } from './pagination.js';
export {
  DEMO_PASSWORD,
  DEMO_STUDENT_COUNT,
  DEMO_TERM,
  demoModules,
  demoRegistrations,
  demoStudents,
} from './demo/demo-term.js';
export type { DemoModule, DemoRegistration, DemoSlot, DemoStudent } from './demo/demo-term.js';
export { demoUuid, nameBasedUuid } from './demo/demo-ids.js';
export { Money, PageInfo } from './graphql-types.js';
export { runUntilSignalled } from './process-lifecycle.js';
export type { Stoppable } from './process-lifecycle.js';
export { isUuid, parseUuid } from './ids.js';
export { startSubgraphService } from './subgraph-service.js';
export type {
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from './subgraph-service.js';
export { runSubgraphProcess, subgraphConfigSchema } from './subgraph-process.js';
export { PERMISSIONS, allowsViewer, findAccess } from './rbac/permissions.js';
export type { Access, PermissionKey } from './rbac/permissions.js';
export { applyPermissions, rulesFor } from './rbac/apply-permissions.js';
export type { SchemaRules } from './rbac/apply-permissions.js';
export { findForbiddenRootFields } from './rbac/forbidden-root-fields.js';
export { MODULE_CODE_PATTERN, parseModuleCode } from './module-code.js';
export { createBatchLoader } from './batch-loader.js';
export { queryRows } from './query-rows.js';
