import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { TOPICS, createInProcessBus } from '@registrar/events';
import type { EventBus, RegistrarEvent } from '@registrar/events';
import { generateIdentityKeys } from '@registrar/platform';
import type { IdentityKeys, Viewer } from '@registrar/platform';
import { graphql } from 'graphql';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { createModuleCatalogue } from '../module-catalogue.js';
import { createModuleContext } from '../module.context.js';
import { buildModuleSchema } from '../module.schema.js';
import { startModuleService } from '../module.service.js';
import type { ModuleService } from '../module.service.js';
import { createSeatBook } from '../seat-book.js';
import type { SeatBook } from '../seat-book.js';
import {
  createTestKeys,
  createTestLogger,
  createTestSchema,
  readEvents,
  requireVariable,
  signCommands,
} from './seat-test-support.js';
import type { EventLog, TestKeys } from './seat-test-support.js';

/** A Module service on a fresh schema of the real database, fed by an in-process bus. */
export interface SeatHarness {
  service: ModuleService;
  dataSource: DataSource;
  bus: EventBus;
  keys: TestKeys;
  identityKeys: IdentityKeys;
  /** Every event the service published on `module.events`, verified with its key. */
  answers: EventLog;
  /** Signs commands as the registration saga and publishes them on `module.commands`. */
  send(commands: RegistrarEvent[]): Promise<void>;
  stop(): Promise<void>;
}

/** The real Module database to test against, if this run has one. */
export const MODULE_DATABASE_URL = process.env['DATABASE_URL_MODULE']?.trim() || undefined;

/**
 * Skips the test for want of `DATABASE_URL_MODULE`, or fails it in CI, where a silently skipped
 * suite would hide a broken seat ledger.
 */
export function skipWithoutDatabase(t: TestContext): undefined {
  requireVariable(
    t,
    'DATABASE_URL_MODULE',
    'postgres://registrar:…@127.0.0.1:5432/registrar_module',
  );
  return undefined;
}

/** Starts the harness on a fresh schema of the database at `databaseUrl`. */
export async function startSeatHarness(databaseUrl: string): Promise<SeatHarness> {
  const logger = createTestLogger();
  const schema = await createTestSchema(databaseUrl);
  const bus = createInProcessBus({ logger });
  const keys = await createTestKeys();
  const identityKeys = await generateIdentityKeys();
  const service = await startModuleService({
    databaseUrl: schema.url,
    host: '127.0.0.1',
    port: 0,
    logger,
    identityPublicKey: identityKeys.publicKey,
    seedDemoData: false,
    events: {
      bus,
      signer: keys.module,
      producerKeys: { registration: keys.registrationPublicKey },
    },
  }).catch(async (error: unknown) => {
    // A failed start must not leave its schema behind in the shared database.
    await schema.drop();
    throw error;
  });
  const answers = await readEvents(bus, TOPICS.module, { module: keys.modulePublicKey });
  return {
    service,
    dataSource: service.dataSource,
    bus,
    keys,
    identityKeys,
    answers,
    async send(commands) {
      await bus.publish(TOPICS.moduleCommands, await signCommands(keys.registration, commands));
    },
    async stop() {
      await answers.stop();
      await service.stop();
      await bus.close();
      await schema.drop();
    },
  };
}

/** Tells whether the events answer every one of the given registrations. */
export function answersAll(
  events: readonly RegistrarEvent[],
  registrationIds: readonly string[],
): boolean {
  const answered = new Set(
    events
      .filter((event) => ['SeatReserved', 'SeatWaitlisted', 'SeatRefused'].includes(event.type))
      .map((event) => (event.payload as { registrationId: string }).registrationId),
  );
  return registrationIds.every((id) => answered.has(id));
}

/** What a test executes a GraphQL operation with. */
export interface GraphqlCall {
  viewer: Viewer;
  query: string;
  variables?: Record<string, unknown>;
  /** Wraps the seat book, to count its calls. */
  wrapSeatBook?: (seatBook: SeatBook) => SeatBook;
}

/**
 * Executes an operation on the Module schema in this process, as the given viewer, with the
 * context the service would build. The supergraph's permissions are not applied here (the served
 * subgraph applies them), so what this proves is the resolvers' own behaviour.
 */
export async function executeGraphql(
  harness: SeatHarness,
  call: GraphqlCall,
): Promise<ExecutionResult> {
  schemaPromise ??= buildModuleSchema();
  const seatBook = createSeatBook(harness.dataSource, () => harness.service.relay?.nudge());
  const contextValue = createModuleContext(
    { viewer: call.viewer, requestId: randomUUID(), logger: createTestLogger() },
    createModuleCatalogue(harness.dataSource),
    call.wrapSeatBook ? call.wrapSeatBook(seatBook) : seatBook,
  );
  return graphql({
    schema: await schemaPromise,
    source: call.query,
    variableValues: call.variables ?? {},
    contextValue,
  });
}

let schemaPromise: Promise<GraphQLSchema> | undefined;

/** A signed-in member of the registry office. */
export const STAFF: Viewer = { kind: 'user', subject: 'staff1', roles: ['staff'], sessionId: 's1' };

/** A signed-in student. */
export const STUDENT: Viewer = {
  kind: 'user',
  subject: 's0001',
  roles: ['student'],
  sessionId: 's2',
  studentId: 'student-1',
};
