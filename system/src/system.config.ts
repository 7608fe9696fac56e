import { join } from 'node:path';
import {
  DEFAULT_ALLOWED_ORIGINS,
  commaListSchema,
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
  ALLOWED_ORIGINS: commaListSchema.default(DEFAULT_ALLOWED_ORIGINS),
  /** How often the single-node gateway makes a fresh access-token signing key. */
  ACCESS_KEY_ROTATION_HOURS: z.coerce.number().positive().default(24),
  SESSION_IDLE_SECONDS: z.coerce.number().int().positive().default(1800),
  SESSION_ABSOLUTE_SECONDS: z.coerce.number().int().positive().default(43_200),
  /** A refresh token presented again within this many seconds is a race, not theft. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).default(10),
  /** Comma-separated Kafka brokers; unset: the in-process bus (single node). */
  KAFKA_BROKERS: commaListSchema.optional(),
  /**
   * Prefix of every topic and consumer group, so deployments (or test runs) sharing one Kafka
   * cluster stay apart, such as `staging.`.
   */
  EVENT_NAMESPACE: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, dots, dashes')
    .default(''),
  SAGA_SEAT_ANSWER_SECONDS: z.coerce.number().int().positive().default(10),
  SAGA_PAYMENT_SECONDS: z.coerce.number().int().positive().default(1800),
  /** The most credits a student may hold in one term. */
  REGISTRATION_CREDIT_CAP: z.coerce.number().int().positive().default(60),
  /**
   * registerForModule calls per client IP per minute. Raise it where many students share one
   * address (a campus NAT) and the per-user limit is the better guard.
   */
  REGISTRATIONS_PER_IP_PER_MINUTE: z.coerce.number().int().positive().default(100),
  /** Prefix of the rate-limit keys in Redis (separate deployments sharing one Redis). */
  RATE_LIMIT_KEY_PREFIX: z.string().default('ratelimit'),
  /** Forces the payment provider; by default Stripe when STRIPE_SECRET_KEY is set, else local. */
  PAYMENT_PROVIDER: z.enum(['local', 'stripe']).optional(),
  /** Stripe's secret key; unset: the local provider (single node, test cards, no money). */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(
      /^[rs]k_(test|live)_[A-Za-z0-9_]+$/,
      'must be a Stripe secret key (sk_test_… or sk_live_…)',
    )
    .optional(),
  /** Another Stripe API base, such as stripe-mock's http://127.0.0.1:12111. */
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  /** The webhook endpoint's signing secret; the default suits development and CI only. */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, 'must be a webhook signing secret (whsec_…)')
    .default('whsec_registrar_dev'),
  /** How often the Payment service asks the provider about payments left waiting. */
  PAYMENT_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().positive().default(60),
  /** How long a payment waits on the provider before reconciliation asks about it. */
  PAYMENT_RECONCILE_AFTER_MINUTES: z.coerce.number().positive().default(10),
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
