import { createError, parseModuleCode, parsePageSize } from '@registrar/platform';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { moduleCursor } from './module-catalogue.js';
import type { ModuleContext } from './module.context.js';
import { toModule } from './module.mapper.js';
import { Module, ModuleConnection, ModuleFilter } from './module.types.js';

/** The public catalogue: anyone may read it. */
@Resolver(() => Module)
export class ModuleResolver {
  @Query(() => ModuleConnection, {
    description: 'The module catalogue, filtered and paginated by code.',
  })
  async modules(
    @Ctx() context: ModuleContext,
    @Arg('filter', () => ModuleFilter, { nullable: true }) filter?: ModuleFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
    first?: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The endCursor of the previous page.',
    })
    after?: string | null,
  ): Promise<ModuleConnection> {
    const size = parsePageSize(first);
    const page = await context.catalogue.findPage(filter ?? {}, size, after);
    const now = new Date();
    const edges = page.rows.map((row) => ({ cursor: moduleCursor(row), node: toModule(row, now) }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  @Query(() => Module, { nullable: true, description: 'One module by its code, such as COMP1001.' })
  async module(@Arg('code') code: string, @Ctx() context: ModuleContext): Promise<Module> {
    const normalised = parseModuleCode(code);
    const row = await context.moduleByCode.load(normalised);
    if (!row) {
      throw createError(
        'NOT_FOUND',
        `No module has the code ${normalised}. Check the code in the catalogue.`,
        {
          argument: 'code',
        },
      );
    }
    return toModule(row);
  }
}
