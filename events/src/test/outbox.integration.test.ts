import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair } from 'jose';
import { DataSource } from 'typeorm';
import { createEvent } from '../catalogue.js';
import { createEnvelopeSigner, verifySignedEnvelope } from '../envelope-signing.js';
import type { EventBus } from '../event-bus.js';
import { createKafkaBus } from '../kafka-bus.js';
import { OUTBOX_DDL, appendToOutbox, handleOnce } from '../outbox.js';
import { startOutboxRelay } from '../outbox-relay.js';
import { createTestLogger, uniqueName } from './test-support.js';

const databaseUrl = process.env['DATABASE_URL_REGISTRATION'];
const brokers = process.env['KAFKA_BROKERS']?.split(',');

function requireServices(t: { skip(message: string): void }): boolean {
  if (databaseUrl && brokers) return true;
  if (process.env['CI'] === 'true') {
    throw new Error(
      'PostgreSQL and Kafka are required in CI: set DATABASE_URL_REGISTRATION and KAFKA_BROKERS.',
    );
  }
  t.skip('DATABASE_URL_REGISTRATION or KAFKA_BROKERS not set');
  return false;
}

describe('the outbox against real PostgreSQL and Kafka', () => {
  const logger = createTestLogger();
  const schema = `outbox_test_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource | undefined;
  let bus: EventBus | undefined;

  before(async () => {
    if (!databaseUrl || !brokers) return;
    const admin = new DataSource({ type: 'postgres', url: databaseUrl });
    await admin.initialize();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.destroy();
    // A schema of its own: the running service's relay never sees these rows.
    dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrl,
      schema,
      extra: { options: `-c search_path=${schema}` },
    });
    await dataSource.initialize();
    for (const statement of OUTBOX_DDL) await dataSource.query(statement);
    bus = createKafkaBus({ brokers, clientId: uniqueName('outbox-test'), logger });
  });

  after(async () => {
    await bus?.close();
    if (dataSource) {
      await dataSource.query(`DROP SCHEMA ${schema} CASCADE`);
      await dataSource.destroy();
    }
  });

  test('with the broker unreachable, committed events wait in the outbox; once it answers, each arrives exactly once', async (t) => {
    if (!requireServices(t)) return;
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const signer = createEnvelopeSigner('registration', privateKey);
    const topic = uniqueName('outbox-burst');
    const events = Array.from({ length: 50 }, (_, i) =>
      createEvent(
        'RegistrationRequested',
        { registrationId: randomUUID(), studentId: randomUUID(), moduleCode: `TST${1000 + i}` },
        { producer: 'registration', correlationId: randomUUID() },
      ),
    );
    for (const event of events) {
      await dataSource!.transaction((manager) => appendToOutbox(manager, event));
    }
    await dataSource!.query(`UPDATE outbox SET topic = $1`, [topic]);

    // A broker that never answers: publishing fails, so nothing may be marked sent.
    const down = createKafkaBus({ brokers: ['127.0.0.1:1'], clientId: uniqueName('down'), logger });
    const stalled = startOutboxRelay({
      dataSource: dataSource!,
      bus: down,
      signer,
      logger,
      pollIntervalMs: 50,
    });
    await assert.rejects(stalled.drain());
    await stalled.stop();
    await down.close().catch(() => undefined);
    const [{ waiting }] = await dataSource!.query(
      `SELECT count(*)::int AS waiting FROM outbox WHERE published_at IS NULL`,
    );
    assert.equal(waiting, 50);

    const received = new Map<string, number>();
    const subscription = await bus!.subscribe({
      groupId: uniqueName('burst-reader'),
      topics: [topic],
      fromBeginning: true,
      handler: async (message) => {
        const envelope = JSON.parse(
          await verifySignedEnvelope(message.value, { registration: publicKey }),
        ) as { id: string };
        received.set(envelope.id, (received.get(envelope.id) ?? 0) + 1);
      },
    });
    const relay = startOutboxRelay({
      dataSource: dataSource!,
      bus: bus!,
      signer,
      logger,
      pollIntervalMs: 50,
    });
    assert.equal(await relay.drain(), 50);
    for (let i = 0; i < 200 && received.size < 50; i += 1)
      await new Promise((r) => setTimeout(r, 100));
    await relay.stop();
    await subscription.stop();
    assert.deepEqual([...received.keys()].sort(), events.map((e) => e.id).sort());
    assert.ok([...received.values()].every((count) => count === 1));
  });

  test('a consumer that dies mid-step leaves no trace; the redelivered event is applied once', async (t) => {
    if (!requireServices(t)) return;
    await dataSource!.query(`CREATE TABLE effects (id serial PRIMARY KEY, event_id uuid NOT NULL)`);
    const eventId = randomUUID();
    const apply = (crash: boolean) =>
      handleOnce(dataSource!.manager, 'test-consumer', eventId, async (manager) => {
        await manager.query(`INSERT INTO effects (event_id) VALUES ($1)`, [eventId]);
        if (crash) throw new Error('the process died here');
      });
    await assert.rejects(apply(true));
    assert.equal(await apply(false), true);
    assert.equal(await apply(false), false);
    const [{ count }] = await dataSource!.query(`SELECT count(*)::int AS count FROM effects`);
    assert.equal(count, 1);
  });
});
