import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeEnvelope, parseFailure } from './dead-letter-tool.js';
import { createEnvelopeSigner } from './envelope-signing.js';

const CLI = join(__dirname, 'cli', 'dead-letters.js');

function runCli(args: string[], env: Record<string, string | undefined> = {}) {
  const { KAFKA_BROKERS: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...inherited, ...env },
  });
}

describe('reading a dead letter', () => {
  test('a plain JSON envelope is decoded', () => {
    const envelope = { id: 'e-1', type: 'SeatReserved', payload: { seat: 3 } };

    assert.deepEqual(decodeEnvelope(Buffer.from(JSON.stringify(envelope))), envelope);
  });

  test('a compact JWS is decoded from its middle part without checking the signature', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const envelope = { id: 'e-2', type: 'SeatReserved', producer: 'module', payload: {} };
    const signed = await createEnvelopeSigner('module', privateKey).sign(envelope);

    assert.deepEqual(decodeEnvelope(Buffer.from(signed)), envelope);
  });

  test('a value that is neither JSON nor a JWS decodes to nothing', () => {
    assert.equal(decodeEnvelope(Buffer.from('not an event')), undefined);
    assert.equal(decodeEnvelope(Buffer.from([0xff, 0x00, 0xfe])), undefined);
  });

  test('the x-dlq headers are parsed and a garbled one is left out', () => {
    const failure = parseFailure({
      'x-dlq-error-code': 'EVENT_INVALID',
      'x-dlq-error-message': 'payload.seat: too small',
      'x-dlq-original-topic': 'module.events',
      'x-dlq-original-partition': '2',
      'x-dlq-original-offset': '41',
      'x-dlq-attempts': 'three',
      'x-dlq-consumer-group': 'registration',
      'x-dlq-failed-at': '2025-01-02T03:04:05.000Z',
      'x-correlation-id': 'corr-1',
    });

    assert.deepEqual(failure, {
      errorCode: 'EVENT_INVALID',
      errorMessage: 'payload.seat: too small',
      originalTopic: 'module.events',
      originalPartition: 2,
      originalOffset: '41',
      consumerGroup: 'registration',
      failedAt: '2025-01-02T03:04:05.000Z',
    });
  });
});

describe('the dead-letters command line', () => {
  test('help is printed to stdout and exits 0', () => {
    const result = runCli(['--help']);

    assert.equal(result.status, 0);
    assert.match(result.stdout, /Usage: npm run dead-letters/);
  });

  test('an unknown command exits 2 with the help text', () => {
    const result = runCli(['purge', 'registration.events']);

    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown command purge\./);
    assert.match(result.stderr, /Usage: npm run dead-letters/);
  });

  test('a non-numeric offset exits 2 naming the offset', () => {
    const result = runCli(['show', 'registration.events', '0', 'twelve'], {
      KAFKA_BROKERS: '127.0.0.1:1',
    });

    assert.equal(result.status, 2);
    assert.match(result.stderr, /The offset must be a whole number; got twelve\./);
  });

  test('a missing KAFKA_BROKERS exits 2 naming the variable', () => {
    const result = runCli(['list', 'registration.events']);

    assert.equal(result.status, 2);
    assert.match(result.stderr, /KAFKA_BROKERS: is required/);
  });
});
