export { startSystem } from './system.js';
export type { RunningSystem, StartSystemOptions, SubgraphName } from './system.js';
export { systemConfigSchema } from './system.config.js';
export type { SystemConfig } from './system.config.js';
export { startEmbeddedPostgres } from './embedded-postgres.js';
export type { EmbeddedDatabase, EmbeddedPostgresOptions } from './embedded-postgres.js';
