import { join } from 'node:path';
import {
  envBooleanSchema,
  logLevelSchema,
  portSchema,
  postgresUrlSchema,
} from '@registrar/platform';
import { z } from 'zod';

/** The repository root, where `.data/` of the embedded default lives. */
const REPOSITORY_ROOT = join(__dirname, '..', '..');

/**
 * The whole system's configuration. Every external service is optional: an unset
 * `DATABASE_URL_*` uses the embedded PostgreSQL, an unset `REDIS_URL` the in-memory store.
 */
export const systemConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: portSchema.default(4000),
  STUDENT_PORT: portSchema.default(4001),
  MODULE_PORT: portSchema.default(4002),
  REGISTRATION_PORT: portSchema.default(4003),
  PAYMENT_PORT: portSchema.default(4004),
  DATABASE_URL_STUDENT: postgresUrlSchema.optional(),
  DATABASE_URL_MODULE: postgresUrlSchema.optional(),
  DATABASE_URL_REGISTRATION: postgresUrlSchema.optional(),
  DATABASE_URL_PAYMENT: postgresUrlSchema.optional(),
  DATABASE_URL_IDENTITY: postgresUrlSchema.optional(),
  /** Comma-separated origins allowed to use cookie sessions (the web client's). */
  ALLOWED_ORIGINS: z
    .string()
    .default('http://127.0.0.1:4000,http://localhost:4000,http://localhost:5173')
    .transform((text) =>
      text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  SESSION_IDLE_SECONDS: z.coerce.number().int().positive().default(1800),
  SESSION_ABSOLUTE_SECONDS: z.coerce.number().int().positive().default(43_200),
  /** A refresh token presented again within this many seconds is a race, not theft. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).default(10),
  /** Comma-separated Kafka brokers; unset: the in-process bus (single node). */
  KAFKA_BROKERS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    )
    .optional(),
  SAGA_SEAT_ANSWER_SECONDS: z.coerce.number().int().positive().default(10),
  SAGA_PAYMENT_SECONDS: z.coerce.number().int().positive().default(1800),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /** Where the embedded PostgreSQL keeps its files. */
  DATA_DIR: z.string().default(join(REPOSITORY_ROOT, '.data')),
  EMBEDDED_POSTGRES_PORT: portSchema.default(54329),
  SEED_DEMO_DATA: envBooleanSchema.default(true),
  LOG_LEVEL: logLevelSchema,
  /** Answer introspection at the gateway (development only). */
  GATEWAY_INTROSPECTION: envBooleanSchema.default(false),
});

/** The parsed configuration of the whole system. */
export type SystemConfig = z.infer<typeof systemConfigSchema>;
