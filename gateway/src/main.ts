import { readFileSync } from 'node:fs';
import {
  createLogger,
  connectRedis,
  createRedisStore,
  importIdentityKeys,
  parseConfig,
  runUntilSignalled,
} from '@registrar/platform';
import { importSigningKey } from './auth/access-tokens.js';
import { openAccountDirectory } from './auth/account-directory.js';
import { createKeyRing } from './auth/key-ring.js';
import { gatewayConfigSchema } from './gateway.config.js';
import { startGateway } from './gateway.js';

// The gateway as its own process, in front of subgraphs that run as their own processes.
const logger = createLogger({ service: 'gateway', level: process.env['LOG_LEVEL'] ?? 'info' });

void runUntilSignalled(logger, async () => {
  const config = parseConfig(gatewayConfigSchema);
  const redis = connectRedis(config.REDIS_URL);
  const store = createRedisStore(redis);
  const accounts = await openAccountDirectory({
    databaseUrl: config.DATABASE_URL_IDENTITY,
    logger,
    seedDemoData: config.SEED_DEMO_DATA,
  });
  const gateway = await startGateway({
    supergraphSdl: readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: {
      student: config.SUBGRAPH_URL_STUDENT,
      module: config.SUBGRAPH_URL_MODULE,
      registration: config.SUBGRAPH_URL_REGISTRATION,
      payment: config.SUBGRAPH_URL_PAYMENT,
    },
    identityKeys: await importIdentityKeys(
      config.GATEWAY_IDENTITY_PRIVATE_KEY,
      config.GATEWAY_IDENTITY_PUBLIC_KEY,
    ),
    keyRing: createKeyRing(
      await importSigningKey(config.ACCESS_TOKEN_SIGNING_KEY, config.ACCESS_TOKEN_KEY_ID),
    ),
    accounts,
    allowedOrigins: config.ALLOWED_ORIGINS,
    store,
    redis,
    host: config.HOST,
    port: config.PORT,
    logger,
    introspection: config.GATEWAY_INTROSPECTION === 'true',
  });
  return {
    async stop() {
      await gateway.stop();
      await store.close();
      await accounts.close();
    },
  };
});
