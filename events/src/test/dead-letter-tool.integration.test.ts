import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeadLetterTool, DeadLetterToolError } from '../dead-letter-tool.js';
import type { DeadLetter, DeadLetterTool } from '../dead-letter-tool.js';
import { createEnvelope } from '../envelope.js';
import type { Envelope } from '../envelope.js';
import { createEnvelopeSigner } from '../envelope-signing.js';
import type { ConsumedMessage, EventBus } from '../event-bus.js';
import { createKafkaBus } from '../kafka-bus.js';
import { createCollector } from './message-collector.js';
import type { Collector } from './message-collector.js';
import { createTestLogger, uniqueName } from './test-support.js';

const brokers = (process.env['KAFKA_BROKERS'] ?? '')
  .split(',')
  .map((broker) => broker.trim())
  .filter((broker) => broker.length > 0);

/** A payload value that must never appear in list output. */
const SECRET = 'stu-secret-4242';
const WAIT_TIMEOUT_MS = 30_000;
const CLI = join(__dirname, '..', 'cli', 'dead-letters.js');

interface Fixture {
  bus: EventBus;
  tool: DeadLetterTool;
  topic: string;
  /** Messages the consumer handled once it was fixed. */
  handled: Collector<ConsumedMessage>;
  /** Makes the consumer's handler succeed from now on. */
  fix(): void;
}

/**
 * Returns the brokers to test against. Without them the test is skipped on a workstation but
 * fails in CI, where a silently skipped integration suite would hide a broken tool.
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

/** Runs `check` with a consumer that dead-letters every message until it is fixed. */
async function withFixture(t: TestContext, check: (fixture: Fixture) => Promise<void>) {
  const available = requireBrokers(t);
  if (!available) {
    return;
  }
  const logger = createTestLogger();
  const bus = createKafkaBus({ brokers: available, clientId: uniqueName('dlq-test'), logger });
  const tool = createDeadLetterTool({
    brokers: available,
    logger,
    replayLogTopic: uniqueName('dead-letters.replayed'),
  });
  const topic = uniqueName('dlq-tool');
  const handled = createCollector<ConsumedMessage>(WAIT_TIMEOUT_MS);
  let fixed = false;

  try {
    await bus.subscribe({
      groupId: uniqueName('worker'),
      topics: [topic],
      fromBeginning: true,
      handler: async (message) => {
        if (!fixed) {
          throw Object.assign(new Error('boom'), { retryable: false, code: 'SEAT_LEDGER_MISSING' });
        }
        handled.add(message);
      },
    });
    await check({ bus, tool, topic, handled, fix: () => (fixed = true) });
  } finally {
    await tool.close();
    await bus.close();
  }
}

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = createEnvelopeSigner('registration', privateKey);

/** Publishes a signed event whose payload holds {@link SECRET}; returns its envelope and bytes. */
async function publishPoison(fixture: Fixture, key = 'reg-1') {
  const envelope: Envelope = createEnvelope({
    type: 'RegistrationRequested',
    version: 1,
    payload: { studentId: SECRET, moduleCode: 'CS101' },
    correlationId: 'corr-7',
    producer: 'registration',
    key,
  });
  const value = Buffer.from(await signer.sign(envelope));
  await fixture.bus.publish(fixture.topic, [
    { key, value, headers: { 'x-correlation-id': 'corr-7' } },
  ]);
  return { envelope, value };
}

/** Lists until `count` dead letters are there; gives up after a bounded number of polls. */
async function waitForDeadLetters(fixture: Fixture, count: number): Promise<DeadLetter[]> {
  for (let poll = 0; poll < 60; poll += 1) {
    const letters = await fixture.tool.list(fixture.topic);
    if (letters.length >= count) {
      return letters;
    }
    await sleep(500);
  }
  throw new Error(`Gave up waiting for ${count} dead letters on ${fixture.topic}.dlq.`);
}

function isRefusal(code: DeadLetterToolError['code']) {
  return (error: unknown) => error instanceof DeadLetterToolError && error.code === code;
}

/** Runs the compiled CLI without blocking this process's consumers. */
function runCli(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const TEST_OPTIONS = { timeout: WAIT_TIMEOUT_MS * 4 };

describe('the dead-letter tool against Kafka', () => {
  test(
    'a dead letter is listed with its error code, origin and event but no payload',
    TEST_OPTIONS,
    (t) =>
      withFixture(t, async (fixture) => {
        const { envelope } = await publishPoison(fixture);

        const [letter, ...others] = await waitForDeadLetters(fixture, 1);

        assert.equal(others.length, 0);
        assert.equal(letter!.topic, `${fixture.topic}.dlq`);
        assert.equal(letter!.key, 'reg-1');
        assert.deepEqual(letter!.event, { type: 'RegistrationRequested', id: envelope.id });
        assert.equal(letter!.failure.errorCode, 'SEAT_LEDGER_MISSING');
        assert.equal(letter!.failure.errorMessage, 'boom');
        assert.equal(letter!.failure.originalTopic, fixture.topic);
        assert.equal(letter!.failure.originalOffset, '0');
        assert.equal(letter!.failure.attempts, 1);
        assert.equal(letter!.replay, undefined);
        assert.ok(!JSON.stringify(letter).includes(SECRET), 'the listing leaks a payload field');
      }),
  );

  test('showing a dead letter returns its exact value and decoded envelope', TEST_OPTIONS, (t) =>
    withFixture(t, async (fixture) => {
      const { envelope, value } = await publishPoison(fixture);
      const [letter] = await waitForDeadLetters(fixture, 1);

      const detail = await fixture.tool.show(fixture.topic, letter!.partition, letter!.offset);

      assert.ok(detail.value.equals(value));
      assert.deepEqual(detail.envelope, envelope);
      assert.equal(detail.headers['x-correlation-id'], 'corr-7');
    }),
  );

  test(
    'a replayed dead letter reaches the fixed consumer, marked with where it came from',
    TEST_OPTIONS,
    (t) =>
      withFixture(t, async (fixture) => {
        const { value } = await publishPoison(fixture);
        const [letter] = await waitForDeadLetters(fixture, 1);
        fixture.fix();

        const record = await fixture.tool.replay(fixture.topic, letter!.partition, letter!.offset);

        const [delivered] = await fixture.handled.waitForCount(1, 'replayed messages');
        const ref = `${fixture.topic}.dlq/${letter!.partition}/${letter!.offset}`;
        assert.equal(record.deadLetter, ref);
        assert.equal(delivered!.key, 'reg-1');
        assert.ok(delivered!.value.equals(value));
        assert.equal(delivered!.headers?.['x-replayed-from'], ref);
        assert.equal(delivered!.headers?.['x-correlation-id'], 'corr-7');
        const failureHeaders = Object.keys(delivered!.headers ?? {}).filter((name) =>
          name.startsWith('x-dlq-'),
        );
        assert.deepEqual(failureHeaders, []);
      }),
  );

  test(
    'replaying a dead letter twice is refused without force, and it is listed as replayed',
    TEST_OPTIONS,
    (t) =>
      withFixture(t, async (fixture) => {
        await publishPoison(fixture);
        const [letter] = await waitForDeadLetters(fixture, 1);
        const { partition, offset } = letter!;
        fixture.fix();
        const first = await fixture.tool.replay(fixture.topic, partition, offset);

        await assert.rejects(
          fixture.tool.replay(fixture.topic, partition, offset),
          isRefusal('ALREADY_REPLAYED'),
        );

        const [listed] = await fixture.tool.list(fixture.topic);
        assert.deepEqual(listed!.replay, first);
        await fixture.handled.waitForCount(1, 'replayed messages');
      }),
  );

  test('a forced second replay delivers the dead letter again', TEST_OPTIONS, (t) =>
    withFixture(t, async (fixture) => {
      await publishPoison(fixture);
      const [letter] = await waitForDeadLetters(fixture, 1);
      const { partition, offset } = letter!;
      fixture.fix();
      await fixture.tool.replay(fixture.topic, partition, offset);

      const again = await fixture.tool.replay(fixture.topic, partition, offset, { force: true });

      assert.equal(again.forced, true);
      await fixture.handled.waitForCount(2, 'replayed messages');
    }),
  );

  test('replaying all replays only the dead letters not replayed before', TEST_OPTIONS, (t) =>
    withFixture(t, async (fixture) => {
      await publishPoison(fixture, 'reg-1');
      await publishPoison(fixture, 'reg-2');
      const letters = await waitForDeadLetters(fixture, 2);
      const early = letters.find((letter) => letter.key === 'reg-1')!;
      fixture.fix();
      await fixture.tool.replay(fixture.topic, early.partition, early.offset);

      const result = await fixture.tool.replayAll(fixture.topic);

      const earlyRef = `${fixture.topic}.dlq/${early.partition}/${early.offset}`;
      assert.deepEqual(result.skipped, [{ deadLetter: earlyRef, reason: 'ALREADY_REPLAYED' }]);
      assert.equal(result.replayed.length, 1);
      const handled = await fixture.handled.waitForCount(2, 'replayed messages');
      assert.deepEqual(handled.map((message) => message.key).sort(), ['reg-1', 'reg-2']);
      const relisted = await fixture.tool.list(fixture.topic);
      assert.ok(relisted.every((letter) => letter.replay !== undefined));
    }),
  );

  test('showing an offset that holds no dead letter is reported as not found', TEST_OPTIONS, (t) =>
    withFixture(t, async (fixture) => {
      await publishPoison(fixture);
      const [letter] = await waitForDeadLetters(fixture, 1);

      await assert.rejects(
        fixture.tool.show(fixture.topic, letter!.partition, '99'),
        isRefusal('DEAD_LETTER_NOT_FOUND'),
      );
    }),
  );

  test('listing a topic that has no dead-letter topic fails naming it', TEST_OPTIONS, (t) =>
    withFixture(t, async (fixture) => {
      const missing = uniqueName('never-created');

      await assert.rejects(fixture.tool.list(missing), (error: unknown) => {
        assert.ok(isRefusal('TOPIC_NOT_FOUND')(error));
        assert.match((error as Error).message, new RegExp(`${missing}\\.dlq`));
        return true;
      });
    }),
  );

  test(
    'the command line lists dead letters as a table, shows one as JSON and refuses a second replay',
    TEST_OPTIONS,
    (t) =>
      withFixture(t, async (fixture) => {
        const { envelope } = await publishPoison(fixture);
        const [letter] = await waitForDeadLetters(fixture, 1);
        const position = [fixture.topic, String(letter!.partition), letter!.offset];
        fixture.fix();

        const list = await runCli(['list', fixture.topic]);
        const show = await runCli(['show', ...position]);
        const replay = await runCli(['replay', ...position]);
        const again = await runCli(['replay', ...position]);

        assert.equal(list.status, 0, list.stderr);
        assert.match(list.stdout, /PARTITION +OFFSET +KEY +EVENT/);
        assert.match(
          list.stdout,
          new RegExp(`RegistrationRequested +${envelope.id} +SEAT_LEDGER_MISSING`),
        );
        assert.ok(!list.stdout.includes(SECRET), 'the table leaks a payload field');
        assert.equal(show.status, 0, show.stderr);
        assert.equal(JSON.parse(show.stdout).envelope.payload.studentId, SECRET);
        assert.equal(replay.status, 0, replay.stderr);
        assert.match(replay.stdout, /^Replayed /);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /already replayed .*--force/);
        await fixture.handled.waitForCount(1, 'replayed messages');
      }),
  );
});
