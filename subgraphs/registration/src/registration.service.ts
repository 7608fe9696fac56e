import { TOPICS, startServiceEventing } from '@registrar/events';
import type { OutboxRelay, ServiceEvents } from '@registrar/events';
import { startSubgraphService } from '@registrar/platform';
import type {
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import { CreateRegistrations1764720100000 } from './migrations/1764720100000-create-registrations.js';
import { CreateOfferingsAndOutbox1764720200000 } from './migrations/1764720200000-create-offerings-and-outbox.js';
import { CreateSagas1764720300000 } from './migrations/1764720300000-create-sagas.js';
import { CreateRules1764720400000 } from './migrations/1764720400000-create-rules.js';
import { createRegistrationCommands } from './registration-commands.js';
import type { RuleSettings } from './registration-rules.js';
import { createRegistrationContext } from './registration.context.js';
import type { RegistrationContext } from './registration.context.js';
import { RegistrationEntity, RegistrationHistoryEntity } from './registration.entity.js';
import { buildRegistrationSchema } from './registration.schema.js';
import { seedCompletedModules, seedOfferings, seedRegistrations } from './registration.seed.js';
import { createRegistrationStore } from './registration-store.js';
import { DEFAULT_SAGA_SETTINGS, applySagaEvent } from './saga/registration.saga.js';
import type { SagaSettings } from './saga/registration.saga.js';
import { startSagaDeadlines } from './saga/saga-deadlines.js';
import type { SagaDeadlines } from './saga/saga-deadlines.js';

/**
 * The Registration subgraph: registrations, their history, and the saga that carries each one
 * through seat, payment and confirmation. `onCommitted` runs after each committed change.
 */
export function createRegistrationSubgraph(
  onCommitted: () => void,
  settings: RuleSettings = DEFAULT_SAGA_SETTINGS,
): SubgraphDefinition<RegistrationContext> {
  return {
    name: 'registration',
    entities: [RegistrationEntity, RegistrationHistoryEntity],
    migrations: [
      CreateRegistrations1764720100000,
      CreateOfferingsAndOutbox1764720200000,
      CreateSagas1764720300000,
      CreateRules1764720400000,
    ],
    buildSchema: buildRegistrationSchema,
    seed: async (dataSource) =>
      (await seedOfferings(dataSource)) +
      (await seedRegistrations(dataSource)) +
      (await seedCompletedModules(dataSource)),
    createContextFactory(dataSource) {
      const store = createRegistrationStore(dataSource);
      const commands = createRegistrationCommands(dataSource, settings, onCommitted);
      return (base) => createRegistrationContext(base, store, commands);
    },
  };
}

/** The definition without a saga, for tools (composition) that only need the schema. */
export const registrationSubgraph = createRegistrationSubgraph(() => undefined);

/** Options of {@link startRegistrationService}. */
export interface RegistrationServiceOptions extends SubgraphServiceOptions {
  events: ServiceEvents;
  /** Saga timings; defaults in {@link DEFAULT_SAGA_SETTINGS}. */
  saga?: Partial<SagaSettings> & { deadlineIntervalMs?: number };
}

/** A running Registration service with its saga. */
export interface RegistrationService extends SubgraphService {
  relay: OutboxRelay;
  deadlines: SagaDeadlines;
}

/**
 * Opens the Registration database (migrating it), seeds it if asked, serves the subgraph, and
 * runs the saga: its event consumer, its outbox relay and its deadline reconciliation.
 */
export async function startRegistrationService(
  options: RegistrationServiceOptions,
): Promise<RegistrationService> {
  let nudge = (): void => undefined;
  const settings = { ...DEFAULT_SAGA_SETTINGS, ...options.saga };
  const service = await startSubgraphService(
    createRegistrationSubgraph(() => nudge(), settings),
    options,
  );
  const logger = options.logger.child({ subgraph: 'registration' });
  try {
    const eventing = await startServiceEventing({
      dataSource: service.dataSource,
      events: options.events,
      logger,
      consumer: 'registration-saga',
      topics: [TOPICS.registration, TOPICS.module, TOPICS.payment],
      handle: (event, manager) => applySagaEvent(event, manager, settings),
    });
    nudge = () => eventing.relay.nudge();
    const deadlines = startSagaDeadlines({
      dataSource: service.dataSource,
      settings,
      logger,
      onCommitted: nudge,
      ...(options.saga?.deadlineIntervalMs ? { intervalMs: options.saga.deadlineIntervalMs } : {}),
    });
    return {
      ...service,
      relay: eventing.relay,
      deadlines,
      async stop() {
        await deadlines.stop();
        await eventing.stop();
        await service.stop();
      },
    };
  } catch (error) {
    await service.stop();
    throw error;
  }
}
