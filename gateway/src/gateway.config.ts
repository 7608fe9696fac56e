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

const pem = (what: string) =>
  z.string().includes('-----BEGIN', { message: `must hold ${what} as PEM text` });

/**
 * The configuration of the gateway as its own process. The subgraph URLs default to the ports of
 * DESIGN.md on loopback; the keys have no default: a gateway must not invent keys that the
 * subgraphs and other gateway instances do not share (`npm run keys` makes a set).
 */
export const gatewayConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: portSchema.default(4000),
  LOG_LEVEL: logLevelSchema,
  SUPERGRAPH_PATH: z.string().default(join(__dirname, '..', '..', 'schema', 'supergraph.graphql')),
  SUBGRAPH_URL_STUDENT: z.url().default('http://127.0.0.1:4001/graphql'),
  SUBGRAPH_URL_MODULE: z.url().default('http://127.0.0.1:4002/graphql'),
  SUBGRAPH_URL_REGISTRATION: z.url().default('http://127.0.0.1:4003/graphql'),
  SUBGRAPH_URL_PAYMENT: z.url().default('http://127.0.0.1:4004/graphql'),
  /** The gateway's own database: sign-in accounts. */
  DATABASE_URL_IDENTITY: postgresUrlSchema,
  /** Comma-separated origins of the web client, allowed to use cookie sessions. */
  ALLOWED_ORIGINS: commaListSchema.default(DEFAULT_ALLOWED_ORIGINS),
  SEED_DEMO_DATA: envBooleanSchema.default(false),
  /** Sessions live here, shared by every gateway instance. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  GATEWAY_IDENTITY_PRIVATE_KEY: pem('the gateway identity private key (PKCS#8)'),
  GATEWAY_IDENTITY_PUBLIC_KEY: pem('the gateway identity public key (SPKI)'),
  ACCESS_TOKEN_SIGNING_KEY: pem('the access-token signing key (PKCS#8)'),
  ACCESS_TOKEN_KEY_ID: z.string().min(1).default('access-1'),
  GATEWAY_INTROSPECTION: z.enum(['true', 'false']).default('false'),
});

/** The parsed gateway configuration. */
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
