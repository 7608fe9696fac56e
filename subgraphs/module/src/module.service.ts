import { TOPICS, startServiceEventing } from '@registrar/events';
import type { OutboxRelay, ServiceEvents } from '@registrar/events';
import { startSubgraphService } from '@registrar/platform';
import type {
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import { CreateModules1764720000000 } from './migrations/1764720000000-create-modules.js';
import { CreateSeatLedger1764720500000 } from './migrations/1764720500000-create-seat-ledger.js';
import { createModuleCatalogue } from './module-catalogue.js';
import { createModuleContext } from './module.context.js';
import type { ModuleContext } from './module.context.js';
import { ModuleEntity } from './module.entity.js';
import { buildModuleSchema } from './module.schema.js';
import { seedModules } from './module.seed.js';
import { SEAT_COMMAND_CONSUMER, handleSeatCommand } from './seat-command.handler.js';
import { createSeatBook } from './seat-book.js';

/**
 * The Module subgraph: the catalogue, its seats, its waitlists and its timetable. `onCommitted`
 * runs after each change a request commits (a capacity change), to publish its events at once.
 */
export function createModuleSubgraph(onCommitted: () => void): SubgraphDefinition<ModuleContext> {
  return {
    name: 'module',
    entities: [ModuleEntity],
    migrations: [CreateModules1764720000000, CreateSeatLedger1764720500000],
    buildSchema: buildModuleSchema,
    seed: (dataSource) => seedModules(dataSource),
    createContextFactory(dataSource) {
      const catalogue = createModuleCatalogue(dataSource);
      const seatBook = createSeatBook(dataSource, onCommitted);
      return (base) => createModuleContext(base, catalogue, seatBook);
    },
  };
}

/**
 * The definition without its seat commands, for tools (composition, a lone subgraph process)
 * that only serve the schema; its events wait in the outbox until a relay runs.
 */
export const moduleSubgraph = createModuleSubgraph(() => undefined);

/** Options of {@link startModuleService}. */
export interface ModuleServiceOptions extends SubgraphServiceOptions {
  /** The bus, the Module service's signer, and the keys of the producers it takes commands from. */
  events: ServiceEvents;
}

/** A running Module service with its seat commands. */
export interface ModuleService extends SubgraphService {
  /** Publishes the service's outbox (tests drain it). */
  relay: OutboxRelay;
}

/**
 * Opens the Module database (migrating it), seeds it if asked, serves the subgraph, and takes the
 * registration saga's seat commands from `module.commands`, answering on `module.events` through
 * the outbox. Stopping ends the command consumer first, then the relay, then the subgraph, so no
 * command is left half-handled and no answer unpublished behind a closed database.
 */
export async function startModuleService(options: ModuleServiceOptions): Promise<ModuleService> {
  let nudge = (): void => undefined;
  const service = await startSubgraphService(
    createModuleSubgraph(() => nudge()),
    options,
  );
  const logger = options.logger.child({ subgraph: 'module' });
  try {
    const eventing = await startServiceEventing({
      dataSource: service.dataSource,
      events: options.events,
      logger,
      consumer: SEAT_COMMAND_CONSUMER,
      topics: [TOPICS.moduleCommands],
      handle: handleSeatCommand,
    });
    nudge = () => eventing.relay.nudge();
    // Stopping twice (an operator's signal during a test's own stop) must not fail.
    let stopped: Promise<void> | undefined;
    return {
      ...service,
      relay: eventing.relay,
      stop() {
        stopped ??= eventing.stop().then(() => service.stop());
        return stopped;
      },
    };
  } catch (error) {
    await service.stop();
    throw error;
  }
}
