import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { TOPICS, createKafkaBus, startServiceEventing } from '@registrar/events';
import { createDataSource, openDatabase } from '@registrar/platform';
import { moduleSubgraph } from '../module.service.js';
import { handleSeatCommand } from '../seat-command.handler.js';
import { MODULE_DATABASE_URL, skipWithoutDatabase } from './seat-harness.js';
import {
  createTestKeys,
  createTestLogger,
  createTestSchema,
  eventsOfType,
  insertModule,
  readEvents,
  requireVariable,
  reserveSeatCommand,
  signCommands,
  uniqueModuleCode,
} from './seat-test-support.js';

test(
  'a ReserveSeat published to Kafka is answered with a SeatReserved on Kafka',
  { timeout: 120_000 },
  async (t) => {
    const databaseUrl = MODULE_DATABASE_URL ?? skipWithoutDatabase(t);
    const brokers = requireVariable(t, 'KAFKA_BROKERS', '127.0.0.1:9092');
    if (!databaseUrl || !brokers) return;
    const logger = createTestLogger();
    const run = randomUUID().slice(0, 8);
    // Stopped last-started first: the consumer and relay before the bus and the database.
    const cleanups: Array<() => Promise<unknown>> = [];
    t.after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const schema = await createTestSchema(databaseUrl);
    cleanups.push(() => schema.drop());
    const dataSource = createDataSource({
      url: schema.url,
      entities: moduleSubgraph.entities,
      migrations: moduleSubgraph.migrations,
      logger,
    });
    await openDatabase(dataSource, logger);
    cleanups.push(() => dataSource.destroy());
    const bus = createKafkaBus({
      brokers: brokers.split(','),
      clientId: `module-test-${run}`,
      logger,
    });
    cleanups.push(() => bus.close());
    const keys = await createTestKeys();
    const code = uniqueModuleCode();
    await insertModule(dataSource, code, 30);

    // The broker is shared: the commands go on a topic of this run, consumed by a group of this
    // run, so that no running Module service and this test take each other's commands. The
    // answers go where the catalogue sends them, module.events.
    const commandTopic = `${TOPICS.moduleCommands}.test-${run}`;
    const answers = await readEvents(
      bus,
      TOPICS.module,
      { module: keys.modulePublicKey },
      { fromBeginning: false, ignoreUnverified: true, timeoutMs: 90_000 },
    );
    cleanups.push(() => answers.stop());
    const eventing = await startServiceEventing({
      dataSource,
      events: {
        bus,
        signer: keys.module,
        producerKeys: { registration: keys.registrationPublicKey },
      },
      logger,
      consumer: `module-seats-test-${run}`,
      topics: [commandTopic],
      handle: handleSeatCommand,
    });
    cleanups.push(() => eventing.stop());
    const command = reserveSeatCommand(code);
    const registrationId = (command.payload as { registrationId: string }).registrationId;

    await bus.publish(commandTopic, await signCommands(keys.registration, [command]));
    await answers.waitFor('the SeatReserved on Kafka', (events) =>
      eventsOfType(events, 'SeatReserved').some((e) => e.payload.registrationId === registrationId),
    );

    const [reserved] = eventsOfType(answers.events, 'SeatReserved').filter(
      (e) => e.payload.registrationId === registrationId,
    );
    assert.deepEqual(reserved!.payload, {
      registrationId,
      moduleCode: code,
      feeAmount: 12_500,
      currency: 'GBP',
      fromWaitlist: false,
    });
    assert.equal(reserved!.causationId, command.id);
  },
);
