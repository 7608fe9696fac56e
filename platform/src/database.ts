import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { DataSourceOptions as TypeOrmOptions, Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from './logger.js';

/** Options of {@link createDataSource}. */
export interface DataSourceOptions {
  /** A postgres:// URL of the service's own database. */
  url: string;
  /** The service's entity classes. */
  entities: NonNullable<TypeOrmOptions['entities']>;
  /** The service's migration classes, applied in timestamp order. */
  migrations: NonNullable<TypeOrmOptions['migrations']>;
  logger: Logger;
  /** Largest number of pooled connections. @default 10 */
  poolSize?: number;
  /** Counts statements, so tests can prove that a batch took one query. */
  queryCounter?: QueryCounter;
}

/** Counts the SQL statements a data source sends, and keeps their text when asked. */
export interface QueryCounter {
  count: number;
  /** When present, every statement's text is appended (tests that tell queries apart). */
  statements?: string[];
}

/**
 * Creates (but does not open) a TypeORM data source over PostgreSQL. Schema changes come only
 * from migrations: `synchronize` is always off so that a deployed database is never altered
 * implicitly.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
    logger: createQueryLogger(options.logger, options.queryCounter),
    logging: ['error', 'warn', 'migration', 'schema'],
    maxQueryExecutionTime: 1_000,
  });
}

/**
 * Opens the data source and applies pending migrations. Returns how many ran.
 */
export async function openDatabase(dataSource: DataSource, logger: Logger): Promise<number> {
  await dataSource.initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length > 0) {
    logger.info({ migrations: applied.map((m) => m.name) }, 'database migrated');
  }
  return applied.length;
}

// Query parameters may carry personal data, so they never reach the log: only the statement
// text (which holds placeholders, never values) and its timing do.
function createQueryLogger(logger: Logger, counter?: QueryCounter): TypeOrmLogger {
  return {
    logQuery(query) {
      if (!counter) return;
      counter.count += 1;
      counter.statements?.push(query);
    },
    logQueryError(error, query) {
      logger.error({ err: errorSummary(error), query: truncate(query) }, 'query failed');
    },
    logQuerySlow(durationMs, query) {
      logger.warn({ durationMs, query: truncate(query) }, 'slow query');
    },
    logSchemaBuild(message) {
      logger.debug({ detail: message }, 'schema build');
    },
    logMigration(message) {
      logger.debug({ detail: message }, 'migration');
    },
    log(level, message) {
      if (level === 'warn') logger.warn({ detail: String(message) }, 'database warning');
    },
  };
}

// pg errors repeat the offending values in `detail`; keep only what identifies the failure.
function errorSummary(error: string | Error): Record<string, unknown> {
  if (typeof error === 'string') return { message: truncate(error) };
  const { code, constraint, table } = error as Error & Record<string, unknown>;
  return { type: error.name, code, constraint, table };
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
