import { startSubgraphService } from '@registrar/platform';
import type {
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import { CreateRegistrations1764720100000 } from './migrations/1764720100000-create-registrations.js';
import { createRegistrationContext } from './registration.context.js';
import type { RegistrationContext } from './registration.context.js';
import { RegistrationEntity, RegistrationHistoryEntity } from './registration.entity.js';
import { buildRegistrationSchema } from './registration.schema.js';
import { seedRegistrations } from './registration.seed.js';
import { createRegistrationStore } from './registration-store.js';

/** The Registration subgraph: registrations, their history, and who holds which seat. */
export const registrationSubgraph: SubgraphDefinition<RegistrationContext> = {
  name: 'registration',
  entities: [RegistrationEntity, RegistrationHistoryEntity],
  migrations: [CreateRegistrations1764720100000],
  buildSchema: buildRegistrationSchema,
  seed: seedRegistrations,
  createContextFactory(dataSource) {
    const store = createRegistrationStore(dataSource);
    return (base) => createRegistrationContext(base, store);
  },
};

/** Opens the Registration database (migrating it), seeds it if asked, and serves the subgraph. */
export function startRegistrationService(
  options: SubgraphServiceOptions,
): Promise<SubgraphService> {
  return startSubgraphService(registrationSubgraph, options);
}
