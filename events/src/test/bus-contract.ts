import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEvent, decodeEvent } from '../catalogue.js';
import type { RegistrarEvent } from '../catalogue.js';
import { toBusMessage } from '../envelope.js';
import type { ConsumedMessage, EventBus } from '../event-bus.js';
import { deadLetterTopicOf } from '../topics.js';
import { createCollector } from './message-collector.js';
import type { Collector } from './message-collector.js';
import { bytes, uniqueName } from './test-support.js';

/** How the contract suite gets a bus for each test. */
export interface BusContractSetup {
  /** Creates a fresh bus, or returns `undefined` after skipping (or failing) the test. */
  createBus(t: TestContext): Promise<EventBus | undefined>;
  /** How long a test waits for an expected message before it fails. */
  waitTimeoutMs: number;
}

interface Fixture {
  bus: EventBus;
  /** A topic no earlier run has used. */
  topic: string;
  /** A group id no earlier run has used. */
  group(label: string): string;
  collector<T>(): Collector<T>;
}

type ContractCheck = (fixture: Fixture) => Promise<void>;

/**
 * Declares the behaviour every `EventBus` must show, as one test per sentence, so the
 * in-process bus and the Kafka bus are held to the same contract.
 */
export function describeBusContract(name: string, setup: BusContractSetup): void {
  describe(`${name} keeps the event bus contract`, () => {
    for (const [sentence, check] of CONTRACT) {
      test(sentence, { timeout: setup.waitTimeoutMs * 4 }, (t) => runCheck(t, setup, check));
    }
  });
}

async function runCheck(t: TestContext, setup: BusContractSetup, check: ContractCheck) {
  const bus = await setup.createBus(t);
  if (!bus) {
    return;
  }

  try {
    await check({
      bus,
      topic: uniqueName('contract'),
      group: uniqueName,
      collector: () => createCollector(setup.waitTimeoutMs),
    });
  } finally {
    await bus.close();
  }
}

/** Delays a handler by a random few milliseconds, so any ordering the bus fails to enforce shows. */
async function jitter(): Promise<void> {
  await sleep(Math.floor(Math.random() * 4));
}

function describeDelivery(message: ConsumedMessage): string {
  return `${message.value.toString()}@${message.attempt}`;
}

async function deliversKeyAndHeaders({ bus, topic, group, collector }: Fixture) {
  const received = collector<ConsumedMessage>();
  const handler = async (message: ConsumedMessage) => received.add(message);
  await bus.subscribe({ groupId: group('reader'), topics: [topic], fromBeginning: true, handler });

  const headers = { 'x-correlation-id': 'corr-1' };
  await bus.publish(topic, [{ key: 'reg-1', value: bytes('hello'), headers }]);

  const [message] = await received.waitForCount(1, 'messages');
  assert.equal(message!.topic, topic);
  assert.equal(message!.key, 'reg-1');
  assert.equal(message!.value.toString(), 'hello');
  assert.equal(message!.headers?.['x-correlation-id'], 'corr-1');
  assert.equal(message!.attempt, 1);
  assert.match(message!.offset, /^\d+$/);
}

async function keepsPerKeyOrder({ bus, topic, group, collector }: Fixture) {
  const keys = ['reg-a', 'reg-b', 'reg-c', 'reg-d'];
  const received = collector<ConsumedMessage>();
  const handler = async (message: ConsumedMessage) => {
    await jitter();
    received.add(message);
  };
  await bus.subscribe({ groupId: group('ordered'), topics: [topic], fromBeginning: true, handler });

  for (const round of [0, 1]) {
    const sequence = [0, 1, 2, 3, 4].map((step) => round * 5 + step);
    const batch = sequence.flatMap((n) =>
      keys.map((key) => ({ key, value: bytes(`${key}:${n}`) })),
    );
    await bus.publish(topic, batch);
  }

  const messages = await received.waitForCount(keys.length * 10, 'messages');
  for (const key of keys) {
    const mine = messages.filter((message) => message.key === key);
    const expected = Array.from({ length: 10 }, (_, n) => `${key}:${n}`);
    assert.deepEqual(
      mine.map((message) => message.value.toString()),
      expected,
    );
    assert.equal(new Set(mine.map((message) => message.partition)).size, 1);
  }
}

async function retriesUntilSuccess({ bus, topic, group, collector }: Fixture) {
  const deliveries = collector<string>();
  const handler = async (message: ConsumedMessage) => {
    deliveries.add(describeDelivery(message));
    if (message.value.toString() === 'flaky' && message.attempt < 3) {
      throw new Error('The seat service is unavailable.');
    }
  };
  const groupId = group('retrying');
  await bus.subscribe({
    groupId,
    topics: [topic],
    fromBeginning: true,
    retryBackoffMs: 5,
    handler,
  });

  await bus.publish(topic, [
    { key: 'reg-1', value: bytes('flaky') },
    { key: 'reg-1', value: bytes('steady') },
  ]);

  const seen = await deliveries.waitForCount(4, 'deliveries');
  assert.deepEqual(seen, ['flaky@1', 'flaky@2', 'flaky@3', 'steady@1']);
}

async function deadLettersAfterMaxAttempts({ bus, topic, group, collector }: Fixture) {
  const deadLetters = collector<ConsumedMessage>();
  await bus.subscribe({
    groupId: group('dlq-reader'),
    topics: [deadLetterTopicOf(topic)],
    fromBeginning: true,
    handler: async (message) => deadLetters.add(message),
  });
  const deliveries = collector<ConsumedMessage>();
  const workerGroup = group('worker');
  await bus.subscribe({
    groupId: workerGroup,
    topics: [topic],
    fromBeginning: true,
    maxAttempts: 3,
    retryBackoffMs: 5,
    handler: async (message) => {
      deliveries.add(message);
      if (message.value.toString() === 'poison') {
        throw new Error('The seat service rejected the request.');
      }
    },
  });

  await bus.publish(topic, [
    { key: 'reg-1', value: bytes('poison'), headers: { 'x-correlation-id': 'corr-9' } },
    { key: 'reg-1', value: bytes('next-1') },
    { key: 'reg-1', value: bytes('next-2') },
  ]);

  const [dead] = await deadLetters.waitForCount(1, 'dead letters');
  const seen = await deliveries.waitForCount(5, 'deliveries');
  assert.deepEqual(seen.map(describeDelivery), [
    'poison@1',
    'poison@2',
    'poison@3',
    'next-1@1',
    'next-2@1',
  ]);
  assert.equal(dead!.key, 'reg-1');
  assert.equal(dead!.value.toString(), 'poison');
  const { 'x-dlq-failed-at': failedAt, ...headers } = dead!.headers ?? {};
  assert.ok(failedAt && !Number.isNaN(Date.parse(failedAt)), 'x-dlq-failed-at is not a time');
  assert.deepEqual(headers, {
    'x-correlation-id': 'corr-9',
    'x-dlq-error-code': 'HANDLER_FAILED',
    'x-dlq-error-message': 'The seat service rejected the request.',
    'x-dlq-original-topic': topic,
    'x-dlq-original-partition': String(seen[0]!.partition),
    'x-dlq-original-offset': seen[0]!.offset,
    'x-dlq-attempts': '3',
    'x-dlq-consumer-group': workerGroup,
  });
}

async function deadLettersNonRetryableAtOnce({ bus, topic, group, collector }: Fixture) {
  const deadLetters = collector<ConsumedMessage>();
  await bus.subscribe({
    groupId: group('dlq-reader'),
    topics: [deadLetterTopicOf(topic)],
    fromBeginning: true,
    handler: async (message) => deadLetters.add(message),
  });
  const attempts = collector<number>();
  const events = collector<RegistrarEvent>();
  await bus.subscribe({
    groupId: group('decoder'),
    topics: [topic],
    fromBeginning: true,
    handler: async (message) => {
      attempts.add(message.attempt);
      events.add(decodeEvent(message.value));
    },
  });
  const payload = { registrationId: 'reg-7', studentId: 'stu-7', moduleCode: 'CS101' };
  const event = createEvent('RegistrationRequested', payload, {
    producer: 'contract-test',
    correlationId: 'corr-7',
  });

  await bus.publish(topic, [{ key: event.key, value: bytes('{not json') }, toBusMessage(event)]);

  const [dead] = await deadLetters.waitForCount(1, 'dead letters');
  const [decoded] = await events.waitForCount(1, 'decoded events');
  assert.equal(decoded!.id, event.id);
  assert.equal(decoded!.type, 'RegistrationRequested');
  // Both messages share a key, so the bad one was settled, after one attempt, before the event.
  assert.deepEqual(attempts.items, [1, 1]);
  assert.equal(dead!.value.toString(), '{not json');
  assert.equal(dead!.headers?.['x-dlq-error-code'], 'EVENT_MALFORMED');
  assert.equal(dead!.headers?.['x-dlq-attempts'], '1');
}

async function sharesWithinGroupAndCopiesAcrossGroups({ bus, topic, group, collector }: Fixture) {
  const shared = collector<{ member: string; value: string }>();
  const other = collector<{ member: string; value: string }>();
  const subscribe = (groupId: string, member: string, sink: typeof shared) =>
    bus.subscribe({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: async (message) => sink.add({ member, value: message.value.toString() }),
    });
  const sharedGroup = group('shared');
  await subscribe(sharedGroup, 'first', shared);
  await subscribe(sharedGroup, 'second', shared);
  await subscribe(group('other'), 'other', other);

  const values = Array.from({ length: 30 }, (_, n) => `message-${n}`);
  await bus.publish(
    topic,
    values.map((value, n) => ({ key: `key-${n}`, value: bytes(value) })),
  );

  const everyValue = (items: readonly { value: string }[]) =>
    values.every((value) => items.some((item) => item.value === value));
  await other.waitUntil(everyValue, 'every message in the other group');
  const deliveries = await shared.waitUntil(everyValue, 'every message across the shared group');
  const members = new Set(deliveries.map((delivery) => delivery.member));
  assert.deepEqual([...members].sort(), ['first', 'second'], 'a member of the group got nothing');
}

async function resumesAfterLastHandled({ bus, topic, group, collector }: Fixture) {
  const groupId = group('resuming');
  const before = collector<string>();
  const subscription = await bus.subscribe({
    groupId,
    topics: [topic],
    fromBeginning: true,
    handler: async (message) => before.add(message.value.toString()),
  });
  await bus.publish(
    topic,
    ['m0', 'm1', 'm2'].map((value) => ({ key: 'k', value: bytes(value) })),
  );
  await before.waitForCount(3, 'messages before the restart');
  await subscription.stop();

  await bus.publish(
    topic,
    ['m3', 'm4'].map((value) => ({ key: 'k', value: bytes(value) })),
  );
  const after = collector<string>();
  await bus.subscribe({
    groupId,
    topics: [topic],
    fromBeginning: true,
    handler: async (message) => after.add(message.value.toString()),
  });

  // One key means one partition, in order: a replay would put m0 first.
  assert.deepEqual(await after.waitForCount(2, 'messages after the restart'), ['m3', 'm4']);
}

async function replaysRetainedMessages({ bus, topic, group, collector }: Fixture) {
  await bus.publish(
    topic,
    ['a', 'b', 'c'].map((value) => ({ key: 'k', value: bytes(value) })),
  );

  const received = collector<string>();
  await bus.subscribe({
    groupId: group('late'),
    topics: [topic],
    fromBeginning: true,
    handler: async (message) => received.add(message.value.toString()),
  });

  assert.deepEqual(await received.waitForCount(3, 'retained messages'), ['a', 'b', 'c']);
}

async function handsOverOnStopDuringBackoff({ bus, topic, group, collector }: Fixture) {
  const groupId = group('handover');
  const tries = collector<ConsumedMessage>();
  const first = await bus.subscribe({
    groupId,
    topics: [topic],
    fromBeginning: true,
    // A backoff far longer than the test's patience: stop() must cut it short.
    retryBackoffMs: 60_000,
    handler: async (message) => {
      tries.add(message);
      throw new Error('The payment service is unavailable.');
    },
  });
  await bus.publish(topic, [{ key: 'reg-1', value: bytes('hand me over') }]);
  const [tried] = await tries.waitForCount(1, 'first attempts');

  await first.stop();
  const redelivered = collector<ConsumedMessage>();
  await bus.subscribe({
    groupId,
    topics: [topic],
    fromBeginning: true,
    handler: async (message) => redelivered.add(message),
  });

  const [again] = await redelivered.waitForCount(1, 'redeliveries');
  assert.equal(again!.offset, tried!.offset);
  assert.equal(again!.value.toString(), 'hand me over');
  assert.equal(tries.items.length, 1);
}

const CONTRACT: ReadonlyArray<readonly [string, ContractCheck]> = [
  ['a published message reaches a subscriber with its key and headers', deliversKeyAndHeaders],
  ['messages with one key are handled in the order they were published', keepsPerKeyOrder],
  ['a failing handler is retried and the message is handled once it succeeds', retriesUntilSuccess],
  [
    'a handler that always fails sends the message to the dead-letter topic and later messages still arrive',
    deadLettersAfterMaxAttempts,
  ],
  ['a non-retryable error dead-letters at once', deadLettersNonRetryableAtOnce],
  [
    'subscriptions in one group share the messages and every group gets every message',
    sharesWithinGroupAndCopiesAcrossGroups,
  ],
  ['a group that resubscribes resumes after the last message it handled', resumesAfterLastHandled],
  [
    'a group that starts from the beginning receives messages published before it subscribed',
    replaysRetainedMessages,
  ],
  [
    'stopping a subscription during a retry backoff leaves the message to the next consumer of its group',
    handsOverOnStopDuringBackoff,
  ],
];
