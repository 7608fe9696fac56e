import { DEMO_PASSWORD, createLogger, parseConfig, runUntilSignalled } from '@registrar/platform';
import { startSystem } from './system.js';
import { systemConfigSchema } from './system.config.js';

// `npm start`: the whole system in one process on embedded defaults (single node).
const logger = createLogger({ service: 'registrar', level: process.env['LOG_LEVEL'] ?? 'info' });

void runUntilSignalled(logger, async () => {
  const config = parseConfig(systemConfigSchema);
  const system = await startSystem({ config, logger });
  const base = system.gateway.url.replace(/\/graphql$/, '');
  process.stdout.write(
    [
      '',
      'Registrar is running (single-node embedded mode: not for production).',
      `  GraphQL API   ${system.gateway.url}`,
      `  Health        ${base}/healthz   Readiness ${base}/readyz`,
      `  Database      ${system.mode.database === 'embedded' ? `embedded PostgreSQL in ${config.DATA_DIR}` : 'external PostgreSQL'}`,
      `  Sessions      ${system.mode.store === 'redis' ? 'Redis' : 'in memory (lost on restart)'}`,
      '  Demo accounts (password for all: ' + DEMO_PASSWORD + ')',
      '    students s0001 … s0200, staff staff1, finance finance1, admin admin1',
      'Press Ctrl-C to stop; data is kept for the next start.',
      '',
    ].join('\n'),
  );
  return system;
});
