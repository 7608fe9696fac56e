import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { ModuleContext } from './module.context.js';
import { RegistrationReference } from './registration-reference.js';

/** Adds `waitlistPosition` to the Registration entity that the Registration subgraph owns. */
@Resolver(() => RegistrationReference)
export class RegistrationWaitlistResolver {
  // Whoever reaches a registration may see its position: the Registration subgraph has already
  // decided who may see the registration, and the position says nothing about anyone else.
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'The place on the waitlist (1 = next to get a seat) while the registration waits; null otherwise.',
  })
  waitlistPosition(
    @Root() registration: RegistrationReference,
    @Ctx() context: ModuleContext,
  ): Promise<number | null> {
    return context.waitlistPositionByRegistration.load(registration.id);
  }
}
