import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import {
  ConfigError,
  envBooleanSchema,
  logLevelSchema,
  parseConfig,
  portSchema,
  postgresUrlSchema,
} from './config.js';

// Shaped like a process's real configuration: one required variable, the rest defaulted.
const schema = z.object({
  DATABASE_URL: postgresUrlSchema,
  PORT: portSchema.default(4000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevelSchema,
  SEED_DEMO_DATA: envBooleanSchema.default(false),
});

const validEnv = { DATABASE_URL: 'postgres://registrar@127.0.0.1:5432/registrar_module' };

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseConfig(schema, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`);
}

describe('parseConfig', () => {
  test('unset variables take their defaults', () => {
    const config = parseConfig(schema, validEnv);

    assert.deepEqual(config, {
      DATABASE_URL: validEnv.DATABASE_URL,
      PORT: 4000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SEED_DEMO_DATA: false,
    });
  });

  test('set variables are converted to their types', () => {
    const config = parseConfig(schema, {
      ...validEnv,
      PORT: '8080',
      LOG_LEVEL: 'debug',
      SEED_DEMO_DATA: '1',
    });

    assert.equal(config.PORT, 8080);
    assert.equal(config.LOG_LEVEL, 'debug');
    assert.equal(config.SEED_DEMO_DATA, true);
    assert.equal(
      parseConfig(schema, { ...validEnv, SEED_DEMO_DATA: 'false' }).SEED_DEMO_DATA,
      false,
    );
  });

  test('variables the schema does not know are left out of the result', () => {
    const config = parseConfig(schema, { ...validEnv, PATH: '/usr/bin', HOME: '/root' });

    assert.equal('PATH' in config, false);
    assert.equal('HOME' in config, false);
  });

  test('a missing required variable throws a ConfigError naming it', () => {
    const error = configErrorOf({});

    assert.equal(error.name, 'ConfigError');
    assert.match(error.message, /DATABASE_URL/);
  });

  test('every wrong variable is named in one ConfigError, not only the first', () => {
    const error = configErrorOf({
      DATABASE_URL: 'mysql://registrar@127.0.0.1/registrar',
      PORT: 'eighty',
      LOG_LEVEL: 'verbose',
      SEED_DEMO_DATA: 'yes',
    });

    for (const variable of ['DATABASE_URL', 'PORT', 'LOG_LEVEL', 'SEED_DEMO_DATA']) {
      assert.match(error.message, new RegExp(`\\b${variable}\\b`), `${variable} is not named`);
    }
    assert.doesNotMatch(error.message, /\bHOST\b/);
  });

  test('a port outside 0 to 65535 or with a fraction is refused', () => {
    for (const port of ['65536', '-1', '80.5']) {
      assert.match(configErrorOf({ ...validEnv, PORT: port }).message, /\bPORT\b/, port);
    }
  });

  // An empty value is what `PORT=` in an env file or an unset `${PORT}` in compose produces;
  // reading it as port 0 would make the process listen on a random port.
  test('an empty or blank port is refused rather than read as port 0', () => {
    for (const port of ['', '   ']) {
      assert.match(configErrorOf({ ...validEnv, PORT: port }).message, /\bPORT\b/, `"${port}"`);
    }
  });

  test('the message never repeats the offending value, which may hold a secret', () => {
    const error = configErrorOf({ DATABASE_URL: 'mysql://registrar:s3cret-pw@db/registrar' });

    assert.match(error.message, /DATABASE_URL/);
    assert.doesNotMatch(error.message, /s3cret-pw/);
  });
});
