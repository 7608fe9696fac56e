import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { logLevel } from 'kafkajs';
import { createLogger } from '@registrar/platform';
import { createKafkaLogCreator } from './kafka-log-creator.js';

function createRecordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });
  const logger = createLogger({ service: 'events-test', level: 'warn', destination });
  return { logger, lines };
}

describe('kafkajs logging', () => {
  test('a kafkajs error reaches the injected logger as fields', () => {
    const { logger, lines } = createRecordingLogger();
    const log = createKafkaLogCreator(logger)(logLevel.WARN);

    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: '2026-01-05T09:00:00.000Z',
        message: 'Connection error',
        logger: 'kafkajs',
        broker: '127.0.0.1:9092',
      },
    });

    assert.equal(lines.length, 1);
    assert.equal(lines[0]!['msg'], 'Connection error');
    assert.equal(lines[0]!['level'], 50);
    assert.equal(lines[0]!['namespace'], 'Connection');
    assert.equal(lines[0]!['broker'], '127.0.0.1:9092');
    assert.equal(lines[0]!['component'], 'kafkajs');
    assert.equal(lines[0]!['timestamp'], undefined);
  });

  test('kafkajs lines below the logger level are dropped', () => {
    const { logger, lines } = createRecordingLogger();
    const log = createKafkaLogCreator(logger)(logLevel.WARN);

    log({
      namespace: 'Consumer',
      level: logLevel.INFO,
      label: 'INFO',
      log: { timestamp: '2026-01-05T09:00:00.000Z', message: 'Starting', logger: 'kafkajs' },
    });

    assert.deepEqual(lines, []);
  });
});
