import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import {
  createEnvelopeSigner,
  createEvent,
  decodeEvent,
  verifySignedEnvelope,
} from '@registrar/events';
import type {
  BusMessage,
  EnvelopeSigner,
  EventBus,
  EventPayloadInput,
  RegistrarEvent,
} from '@registrar/events';
import { createLogger } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import { generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import pg from 'pg';
import type { DataSource } from 'typeorm';

/** A logger for tests: silent unless `LOG_LEVEL` asks for lines. */
export function createTestLogger(): Logger {
  return createLogger({ service: 'module-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
}

/**
 * Returns the value of a real-service variable. Without it the test is skipped on a workstation
 * but fails in CI, where a silently skipped suite would hide a broken service.
 */
export function requireVariable(t: TestContext, name: string, example: string): string | undefined {
  const value = process.env[name]?.trim();
  if (value) return value;
  if (process.env['CI'] === 'true') {
    assert.fail(`${name} is required in CI: set it (e.g. ${example}); see infra/env.sh.`);
  }
  t.skip(`${name} not set`);
  return undefined;
}

/** A PostgreSQL schema of its own inside the shared Module database. */
export interface TestSchema {
  /** The database URL with this schema first on the search path. */
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh schema in the database at `baseUrl`. Tests migrate and run there, so that their
 * outbox relay never publishes rows of a Module service sharing the database, and reruns start
 * empty.
 */
export async function createTestSchema(baseUrl: string): Promise<TestSchema> {
  const schema = `module_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await runSql(baseUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => runSql(baseUrl, `DROP SCHEMA ${schema} CASCADE`) };
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A module code unique to this run, such as TST4821. */
export function uniqueModuleCode(): string {
  return `TST${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

/** Adds an open module with `capacity` seats and a fee to the catalogue. */
export async function insertModule(
  dataSource: DataSource,
  code: string,
  capacity: number,
  feeAmount = 12_500,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO modules (code, title, description, department, credits, term, capacity,
       fee_amount, registration_opens_at, registration_closes_at)
     VALUES ($1, 'Seat Ledger Test', 'A module made by a test.', 'Testing', 15, 'AUTUMN-2026', $2,
       $3, now() - interval '1 day', now() + interval '30 days')`,
    [code, capacity, feeAmount],
  );
}

/** A module's seats as stored, with the number of seats its ledger holds. */
export async function readSeats(
  dataSource: DataSource,
  code: string,
): Promise<{ capacity: number; seatsTaken: number; held: number; waiting: number }> {
  const [row] = await dataSource.query(
    `SELECT capacity, seats_taken AS "seatsTaken",
       (SELECT count(*) FROM seat_holds WHERE module_code = $1 AND status = 'HELD')::int AS held,
       (SELECT count(*) FROM waitlist WHERE module_code = $1 AND status = 'WAITING')::int AS waiting
     FROM modules WHERE code = $1`,
    [code],
  );
  return row;
}

/** The keys of the test: the registration saga's (which signs commands) and the module's. */
export interface TestKeys {
  registration: EnvelopeSigner;
  registrationPublicKey: CryptoKey;
  module: EnvelopeSigner;
  modulePublicKey: CryptoKey;
}

/** Generates a fresh ES256 key pair for each of the two producers. */
export async function createTestKeys(): Promise<TestKeys> {
  const registration = await generateKeyPair('ES256');
  const module = await generateKeyPair('ES256');
  return {
    registration: createEnvelopeSigner('registration', registration.privateKey),
    registrationPublicKey: registration.publicKey,
    module: createEnvelopeSigner('module', module.privateKey),
    modulePublicKey: module.publicKey,
  };
}

/** A ReserveSeat as the saga sends it, for a new registration unless one is given. */
export function reserveSeatCommand(
  moduleCode: string,
  registrationId: string = randomUUID(),
  extra: Partial<EventPayloadInput<'ReserveSeat'>> = {},
): RegistrarEvent {
  return createEvent(
    'ReserveSeat',
    { registrationId, studentId: `student-${registrationId.slice(0, 8)}`, moduleCode, ...extra },
    { producer: 'registration', correlationId: randomUUID() },
  );
}

/** A ReleaseSeat as the saga sends it after a drop. */
export function releaseSeatCommand(moduleCode: string, registrationId: string): RegistrarEvent {
  return createEvent(
    'ReleaseSeat',
    { registrationId, moduleCode, reason: 'The student dropped the module.' },
    { producer: 'registration', correlationId: randomUUID() },
  );
}

/** Signs commands as a producer would and returns them as bus messages. */
export async function signCommands(
  signer: EnvelopeSigner,
  commands: RegistrarEvent[],
): Promise<BusMessage[]> {
  return Promise.all(
    commands.map(async (command) => ({
      key: command.key,
      value: Buffer.from(await signer.sign(command)),
    })),
  );
}

/** The events a test has read from the bus, with a way to wait for more. */
export interface EventLog {
  readonly events: readonly RegistrarEvent[];
  /**
   * Resolves once `predicate` holds. Rejects after `timeoutMs`, naming what was awaited: a guard
   * against a hung test, not an assertion about speed.
   */
  waitFor(
    description: string,
    predicate: (events: readonly RegistrarEvent[]) => boolean,
  ): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link readEvents}. */
export interface ReadEventsOptions {
  /** @default 30_000 */
  timeoutMs?: number;
  /** @default true */
  fromBeginning?: boolean;
  /**
   * Drop messages that do not verify instead of failing the wait: on a shared broker other
   * systems publish to the same topic with their own keys. @default false
   */
  ignoreUnverified?: boolean;
}

/**
 * Subscribes to `topic` as a group of its own and keeps every event that verifies as signed by
 * one of `producerKeys`; anything else fails the wait (unless ignored), so a badly signed answer
 * cannot pass.
 */
export async function readEvents(
  bus: EventBus,
  topic: string,
  producerKeys: Record<string, CryptoKey>,
  options: ReadEventsOptions = {},
): Promise<EventLog> {
  const events: RegistrarEvent[] = [];
  const failures: unknown[] = [];
  const waiters = new Set<() => void>();
  const subscription = await bus.subscribe({
    groupId: `module-test-${randomUUID().slice(0, 8)}`,
    topics: [topic],
    fromBeginning: options.fromBeginning ?? true,
    handler: async (message) => {
      try {
        const text = await verifySignedEnvelope(message.value, producerKeys);
        events.push(decodeEvent(Buffer.from(text, 'utf8')));
      } catch (error) {
        if (!options.ignoreUnverified) failures.push(error);
      }
      waiters.forEach((check) => check());
    },
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    events,
    waitFor: (description, predicate) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (failures.length > 0) finish(new Error(`An event failed to verify: ${failures[0]}`));
          else if (predicate(events)) finish();
        };
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(
          () => finish(new Error(`Gave up after ${timeoutMs} ms waiting for ${description}.`)),
          timeoutMs,
        );
        waiters.add(check);
        check();
      }),
    stop: () => subscription.stop(),
  };
}

/** The events of one type, narrowed. */
export function eventsOfType<T extends RegistrarEvent['type']>(
  events: readonly RegistrarEvent[],
  type: T,
): Array<Extract<RegistrarEvent, { type: T }>> {
  return events.filter(
    (event): event is Extract<RegistrarEvent, { type: T }> => event.type === type,
  );
}

/**
 * Resolves once `condition` holds, checking every 20 ms. Rejects after `timeoutMs`: a guard
 * against a hung test, not an assertion about speed.
 */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
