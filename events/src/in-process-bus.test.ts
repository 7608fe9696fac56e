import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ConsumedMessage } from './event-bus.js';
import { createInProcessBus } from './in-process-bus.js';
import { describeBusContract } from './test/bus-contract.js';
import { createCollector } from './test/message-collector.js';
import { bytes, createTestLogger, uniqueName } from './test/test-support.js';

const WAIT_MS = 5_000;

describeBusContract('the in-process bus', {
  createBus: async () => createInProcessBus({ logger: createTestLogger() }),
  waitTimeoutMs: WAIT_MS,
});

describe('the in-process bus', () => {
  test('a group that does not start from the beginning receives only later messages', async () => {
    const bus = createInProcessBus({ logger: createTestLogger() });
    const topic = uniqueName('late');
    const received = createCollector<string>(WAIT_MS);

    try {
      await bus.publish(topic, [{ key: 'k', value: bytes('before') }]);
      await bus.subscribe({
        groupId: uniqueName('latest'),
        topics: [topic],
        handler: async (message) => received.add(message.value.toString()),
      });
      await bus.publish(topic, [{ key: 'k', value: bytes('after') }]);

      // One key, one partition, in order: had 'before' been delivered it would come first.
      assert.deepEqual(await received.waitForCount(1, 'messages'), ['after']);
    } finally {
      await bus.close();
    }
  });

  test('a topic retains only its newest messages for groups that subscribe later', async () => {
    const bus = createInProcessBus({ logger: createTestLogger(), maxRetainedPerTopic: 5 });
    const topic = uniqueName('retained');
    const values = Array.from({ length: 8 }, (_, n) => `m${n}`);
    const received = createCollector<string>(WAIT_MS);

    try {
      await bus.publish(
        topic,
        values.map((value) => ({ key: 'k', value: bytes(value) })),
      );
      await bus.subscribe({
        groupId: uniqueName('late'),
        topics: [topic],
        fromBeginning: true,
        handler: async (message) => received.add(message.value.toString()),
      });

      // One key, one partition, in order: a retained m0 would arrive first.
      assert.deepEqual(await received.waitForCount(5, 'messages'), ['m3', 'm4', 'm5', 'm6', 'm7']);
    } finally {
      await bus.close();
    }
  });

  test('each partition has at most one message in flight per group while partitions run side by side', async () => {
    const bus = createInProcessBus({ logger: createTestLogger(), partitions: 3 });
    const topic = uniqueName('in-flight');
    const active = new Map<number, number>();
    let mostInOnePartition = 0;
    let mostOverall = 0;
    const done = createCollector<ConsumedMessage>(WAIT_MS);
    const handler = async (message: ConsumedMessage) => {
      active.set(message.partition, (active.get(message.partition) ?? 0) + 1);
      mostInOnePartition = Math.max(mostInOnePartition, active.get(message.partition)!);
      mostOverall = Math.max(
        mostOverall,
        [...active.values()].reduce((a, b) => a + b, 0),
      );
      await nextTurn();
      active.set(message.partition, active.get(message.partition)! - 1);
      done.add(message);
    };

    try {
      await bus.subscribe({ groupId: uniqueName('g'), topics: [topic], handler });
      await bus.publish(
        topic,
        Array.from({ length: 30 }, (_, n) => ({ key: `key-${n}`, value: bytes(`${n}`) })),
      );
      const messages = await done.waitForCount(30, 'messages');

      assert.equal(new Set(messages.map((message) => message.partition)).size, 3);
      assert.equal(mostInOnePartition, 1);
      assert.equal(mostOverall, 3);
    } finally {
      await bus.close();
    }
  });

  test('close waits for a running handler to finish', async () => {
    const bus = createInProcessBus({ logger: createTestLogger() });
    const topic = uniqueName('closing');
    const events: string[] = [];
    const started = createCollector<string>(WAIT_MS);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));

    await bus.subscribe({
      groupId: uniqueName('g'),
      topics: [topic],
      handler: async () => {
        started.add('started');
        await gate;
        events.push('handler finished');
      },
    });
    await bus.publish(topic, [{ key: 'k', value: bytes('slow') }]);
    await started.waitForCount(1, 'handler starts');

    const closed = bus.close().then(() => events.push('bus closed'));
    await nextTurn();
    release();
    await closed;

    assert.deepEqual(events, ['handler finished', 'bus closed']);
  });

  test('publishing after close is refused', async () => {
    const bus = createInProcessBus({ logger: createTestLogger() });
    await bus.close();

    await assert.rejects(bus.publish('any', [{ key: 'k', value: bytes('x') }]), /closed/);
  });
});
