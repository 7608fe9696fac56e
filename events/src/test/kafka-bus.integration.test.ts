import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { EventBus } from '../event-bus.js';
import { createKafkaBus } from '../kafka-bus.js';
import { deadLetterTopicOf } from '../topics.js';
import { describeBusContract } from './bus-contract.js';
import { bytes, createTestLogger, uniqueName } from './test-support.js';

const brokers = (process.env['KAFKA_BROKERS'] ?? '')
  .split(',')
  .map((broker) => broker.trim())
  .filter((broker) => broker.length > 0);

/**
 * Returns the brokers to test against. Without them the test is skipped on a workstation but
 * fails in CI, where a silently skipped integration suite would hide a broken Kafka bus.
 */
function requireBrokers(t: TestContext): string[] | undefined {
  if (brokers.length > 0) {
    return brokers;
  }
  if (process.env['CI'] === 'true') {
    assert.fail('Kafka is required in CI: set KAFKA_BROKERS (e.g. 127.0.0.1:9092).');
  }
  t.skip('KAFKA_BROKERS not set');
  return undefined;
}

function createBusFor(t: TestContext): EventBus | undefined {
  const available = requireBrokers(t);
  return available
    ? createKafkaBus({
        brokers: available,
        clientId: uniqueName('events-test'),
        logger: createTestLogger(),
      })
    : undefined;
}

describeBusContract('the Kafka bus', {
  createBus: async (t) => createBusFor(t),
  // Joining a consumer group takes a few seconds on a real broker.
  waitTimeoutMs: 30_000,
});

describe('the Kafka bus and its topics', () => {
  test(
    'subscribing creates the topic and its dead-letter topic with three partitions each',
    { timeout: 60_000 },
    async (t) => {
      const bus = createBusFor(t);
      if (!bus) {
        return;
      }
      const admin = new Kafka({
        brokers,
        clientId: uniqueName('events-admin'),
        logLevel: logLevel.NOTHING,
      }).admin();
      const topic = uniqueName('topics');

      try {
        const subscription = await bus.subscribe({
          groupId: uniqueName('topics'),
          topics: [topic],
          handler: async () => undefined,
        });
        await subscription.stop();
        await admin.connect();
        const { topics } = await admin.fetchTopicMetadata({
          topics: [topic, deadLetterTopicOf(topic)],
        });
        assert.deepEqual(
          topics
            .map((metadata) => [metadata.name, metadata.partitions.length])
            .sort(([a], [b]) => String(a).localeCompare(String(b))),
          [
            [topic, 3],
            [deadLetterTopicOf(topic), 3],
          ],
        );
      } finally {
        await admin.disconnect();
        await bus.close();
      }
    },
  );

  test('publishing to a new topic creates it', { timeout: 60_000 }, async (t) => {
    const bus = createBusFor(t);
    if (!bus) {
      return;
    }
    const admin = new Kafka({
      brokers,
      clientId: uniqueName('events-admin'),
      logLevel: logLevel.NOTHING,
    }).admin();
    const topic = uniqueName('published');

    try {
      await bus.publish(topic, [{ key: 'k', value: bytes('first') }]);
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topic);
      const total = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
      assert.equal(offsets.length, 3);
      assert.equal(total, 1);
    } finally {
      await admin.disconnect();
      await bus.close();
    }
  });
});
