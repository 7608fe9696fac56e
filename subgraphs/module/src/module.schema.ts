import { buildFederatedSchema } from '@registrar/platform';
import type { GraphQLSchema } from 'graphql';
import type { ModuleContext } from './module.context.js';
import { parseModuleCode } from './module.resolver.js';
import { ModuleResolver } from './module.resolver.js';
import { toModule } from './module.mapper.js';

/** Builds the Module subgraph's schema; it needs no database, so composition can call it. */
export function buildModuleSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema<ModuleContext>({
    resolvers: [ModuleResolver],
    referenceResolvers: {
      async Module(representation, context) {
        const row = await context.moduleByCode.load(
          parseModuleCode(String(representation['code'])),
        );
        return row ? toModule(row) : null;
      },
    },
  });
}
