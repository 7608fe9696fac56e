import { Money } from '@registrar/platform';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** Where a payment stands; the states follow Stripe's PaymentIntent. */
export enum PaymentStatus {
  REQUIRES_PAYMENT = 'REQUIRES_PAYMENT',
  PROCESSING = 'PROCESSING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  REFUNDED = 'REFUNDED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: 'Where a payment stands.',
  valuesConfig: {
    REQUIRES_PAYMENT: { description: 'Created; waiting for the student to pay.' },
    PROCESSING: { description: 'The provider is processing the payment.' },
    SUCCEEDED: { description: 'Paid.' },
    FAILED: { description: 'The provider declined the payment; the student may try again.' },
    REFUNDED: { description: 'Paid, then returned in full.' },
    CANCELLED: { description: 'Abandoned before it was paid.' },
  },
});

/** The payment of a registration's fee, as its owner and the finance office see it. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "The payment of a registration's fee. It never holds card data." })
export class Payment {
  @Field(() => ID)
  id!: string;

  @Field(() => Money, { description: 'The amount charged, in minor units.' })
  amount!: Money;

  @Field(() => PaymentStatus)
  status!: PaymentStatus;

  @Field({ description: 'Who takes the money: stripe, or local in the embedded demo.' })
  provider!: string;

  @Field(() => String, {
    nullable: true,
    description: "The provider's PaymentIntent id, such as pi_3Mtw...; null before one exists.",
  })
  providerReference!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "What your browser confirms this payment with in Stripe's Payment Element, while it waits to be paid. Only the paying student sees it; null otherwise and for the local provider.",
  })
  clientSecret!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'For the local test provider: a token, valid for 15 minutes, with which you confirm this payment at POST /payments/local/confirm while it waits to be paid. Only the paying student sees it; null otherwise and for Stripe.',
  })
  confirmationToken!: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

/**
 * The Payment subgraph's view of a registration: only its key, to which this subgraph adds
 * `payment`. The Registration subgraph owns every other field. The class has its own name so
 * that it can never be mistaken for the Registration subgraph's class in type-graphql's
 * process-wide metadata; only the GraphQL name is shared.
 */
@Directive('@key(fields: "id")')
// No description: the Registration subgraph, which owns the type, describes it.
@ObjectType('Registration')
export class RegistrationReference {
  @Field(() => ID)
  id!: string;
}
