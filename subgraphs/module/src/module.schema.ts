import { buildFederatedSchema, parseModuleCode, parseUuid } from '@registrar/platform';
import type { GraphQLSchema } from 'graphql';
import { ModuleCapacityResolver } from './module-capacity.resolver.js';
import type { ModuleContext } from './module.context.js';
import { ModuleResolver } from './module.resolver.js';
import { toModule } from './module.mapper.js';
import { RegistrationReference } from './registration-reference.js';
import { RegistrationWaitlistResolver } from './registration-waitlist.resolver.js';

/** Builds the Module subgraph's schema; it needs no database, so composition can call it. */
export function buildModuleSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema<ModuleContext>({
    resolvers: [ModuleResolver, ModuleCapacityResolver, RegistrationWaitlistResolver],
    // No query returns a Registration here; it enters the schema as an entity only.
    orphanedTypes: [RegistrationReference],
    referenceResolvers: {
      async Module(representation, context) {
        const row = await context.moduleByCode.load(
          parseModuleCode(String(representation['code'])),
        );
        return row ? toModule(row) : null;
      },
      // The key is all this subgraph knows of a registration; `waitlistPosition` then loads
      // through the request's loader, so many registrations in one `_entities` call cost one query.
      Registration(representation): RegistrationReference {
        return { id: parseUuid(String(representation['id']), 'id', 'registration id') };
      },
    },
  });
}
