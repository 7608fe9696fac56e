import { createError, parseUuid } from '@registrar/platform';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { assertCanSeePayment } from './payment.access.js';
import type { PaymentContext } from './payment.context.js';
import { toPayment } from './payment.mapper.js';
import { Payment } from './payment.types.js';

/** Payments: the owning student and the finance office, staff and admins may read them. */
@Resolver(() => Payment)
export class PaymentResolver {
  @Query(() => Payment, {
    nullable: true,
    description: 'One payment by id: your own, or any for finance, staff and admins.',
  })
  async payment(@Arg('id', () => ID) id: string, @Ctx() context: PaymentContext): Promise<Payment> {
    const paymentId = parseUuid(id, 'id', 'payment id');
    if (context.viewer.kind === 'anonymous') {
      throw createError('UNAUTHENTICATED', 'Sign in to see payments.');
    }

    const row = await context.paymentById.load(paymentId);
    assertCanSeePayment(context.viewer, row, 'id');
    if (!row) {
      throw createError('NOT_FOUND', `No payment has the id ${paymentId}. Check the "id".`, {
        argument: 'id',
      });
    }
    return toPayment(row, context.viewer, context.confirmationTokens);
  }
}
