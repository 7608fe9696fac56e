import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger, demoModules, parseConfig } from '@registrar/platform';
import { startSystem, systemConfigSchema } from '@registrar/system';
import { assertRealServicesInCi, findFreePort, postGraphQL } from './support/test-system.js';

test('a second start reuses the data of the first, without seeding it twice', async () => {
  assertRealServicesInCi();
  const dataDir = mkdtempSync(join(tmpdir(), 'registrar-restart-'));
  const env = {
    ...process.env,
    PORT: '0',
    STUDENT_PORT: '0',
    MODULE_PORT: '0',
    REGISTRATION_PORT: '0',
    PAYMENT_PORT: '0',
    DATA_DIR: dataDir,
    EVENT_NAMESPACE: `test-restart-${process.pid}.`,
    EMBEDDED_POSTGRES_PORT: String(await findFreePort()),
  };
  const logger = createLogger({ service: 'test', level: 'silent' });
  const count = async (url: string) =>
    ((await postGraphQL<any>(url, '{ modules { totalCount } }')).data as any).modules
      .totalCount as number;

  try {
    const first = await startSystem({ config: parseConfig(systemConfigSchema, env), logger });
    const before = await count(first.gateway.url);
    // Change something the seed would overwrite if it ran again over existing rows.
    await first.subgraphs.module.dataSource.query(
      `UPDATE modules SET title = 'Renamed in test' WHERE code = 'COMP1001'`,
    );
    await first.stop();

    const second = await startSystem({ config: parseConfig(systemConfigSchema, env), logger });
    try {
      assert.equal(await count(second.gateway.url), before);
      assert.equal(before, demoModules().length);
      const renamed = await postGraphQL<any>(
        second.gateway.url,
        '{ module(code: "COMP1001") { title } }',
      );
      assert.equal(renamed.data.module.title, 'Renamed in test');
    } finally {
      await second.subgraphs.module.dataSource.query(
        `UPDATE modules SET title = $1 WHERE code = 'COMP1001'`,
        [demoModules().find((m) => m.code === 'COMP1001')!.title],
      );
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
