import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { canSeePayment } from './payment.access.js';
import type { PaymentContext } from './payment.context.js';
import { toPayment } from './payment.mapper.js';
import { Payment, RegistrationReference } from './payment.types.js';

/** Adds `payment` to the Registration entity that the Registration subgraph owns. */
@Resolver(() => RegistrationReference)
export class RegistrationPaymentResolver {
  @FieldResolver(() => Payment, {
    nullable: true,
    description:
      'The payment of the fee; null for a free module, before payment starts, or when you may not see it.',
  })
  async payment(
    @Root() registration: RegistrationReference,
    @Ctx() context: PaymentContext,
  ): Promise<Payment | null> {
    const row = await context.paymentByRegistrationId.load(registration.id);
    // Someone else's payment reads as no payment: an error here would tell the caller that one
    // exists.
    if (!row || !canSeePayment(context.viewer, row)) return null;
    return toPayment(row, context.viewer, context.confirmationTokens);
  }
}
