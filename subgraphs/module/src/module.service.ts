import { startSubgraphService } from '@registrar/platform';
import type {
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import { createModuleCatalogue } from './module-catalogue.js';
import { createModuleContext } from './module.context.js';
import type { ModuleContext } from './module.context.js';
import { ModuleEntity } from './module.entity.js';
import { buildModuleSchema } from './module.schema.js';
import { seedModules } from './module.seed.js';
import { CreateModules1764720000000 } from './migrations/1764720000000-create-modules.js';

/** The Module subgraph: the catalogue, its seats and its timetable. */
export const moduleSubgraph: SubgraphDefinition<ModuleContext> = {
  name: 'module',
  entities: [ModuleEntity],
  migrations: [CreateModules1764720000000],
  buildSchema: buildModuleSchema,
  seed: (dataSource) => seedModules(dataSource),
  createContextFactory(dataSource) {
    const catalogue = createModuleCatalogue(dataSource);
    return (base) => createModuleContext(base, catalogue);
  },
};

/** Opens the Module database (migrating it), seeds it if asked, and serves the subgraph. */
export function startModuleService(options: SubgraphServiceOptions): Promise<SubgraphService> {
  return startSubgraphService(moduleSubgraph, options);
}
