import { createError, hasRole, parseModuleCode } from '@registrar/platform';
import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import type { ModuleContext } from './module.context.js';
import { toModule } from './module.mapper.js';
import { Module } from './module.types.js';

/** The largest capacity staff may set; beyond it a typo is likelier than a lecture hall. */
export const MAX_CAPACITY = 10_000;

/** What registry staff change about a module's seats. */
@Resolver(() => Module)
export class ModuleCapacityResolver {
  @Mutation(() => Module, {
    description:
      "Sets a module's capacity (registry staff). New seats go at once to the students waiting longest; the capacity cannot go below the seats already taken.",
  })
  async updateModuleCapacity(
    @Arg('code') code: string,
    @Arg('capacity', () => Int) capacity: number,
    @Ctx() context: ModuleContext,
  ): Promise<Module> {
    // The supergraph's permissions refuse everyone else first; this check keeps the rule true
    // even where the schema is served without them.
    assertRegistryStaff(context);
    const normalised = parseModuleCode(code);
    assertCapacityInRange(capacity);

    const result = await context.seatBook.changeCapacity(normalised, capacity, {
      correlationId: context.requestId,
    });
    switch (result.outcome) {
      case 'changed':
        context.logger.info(
          { moduleCode: normalised, capacity, promoted: result.promoted },
          'module capacity changed',
        );
        return toModule(result.module);
      case 'unknown-module':
        throw createError(
          'NOT_FOUND',
          `No module has the code ${normalised}. Check the code in the catalogue.`,
          { argument: 'code' },
        );
      case 'below-seats-taken':
        throw createError(
          'BAD_USER_INPUT',
          `"capacity" must be at least ${result.seatsTaken}, the seats already taken in ${normalised}; release seats first to go lower.`,
          { argument: 'capacity' },
        );
      default: {
        const unhandled: never = result;
        return unhandled;
      }
    }
  }
}

function assertRegistryStaff(context: ModuleContext): void {
  if (hasRole(context.viewer, 'staff', 'admin')) return;
  if (context.viewer.kind === 'anonymous') {
    throw createError(
      'UNAUTHENTICATED',
      "Sign in as registry staff to change a module's capacity.",
    );
  }
  throw createError(
    'FORBIDDEN',
    "Only registry staff may change a module's capacity. Ask the registry office to do it.",
  );
}

function assertCapacityInRange(capacity: number): void {
  if (Number.isInteger(capacity) && capacity >= 0 && capacity <= MAX_CAPACITY) return;
  throw createError(
    'BAD_USER_INPUT',
    `"capacity" must be a whole number from 0 to ${MAX_CAPACITY}; it was ${capacity}.`,
    { argument: 'capacity' },
  );
}
