import { Directive, Field, Int, ObjectType } from 'type-graphql';

/** An amount of money in minor units (pence, cents); shared by every subgraph that shows one. */
@Directive('@shareable')
@ObjectType({ description: 'An amount of money in minor units (for example pence).' })
export class Money {
  @Field(() => Int, { description: 'The amount in minor units; 0 for nothing to pay.' })
  amount!: number;

  @Field({ description: 'The ISO 4217 currency code, such as GBP.' })
  currency!: string;
}

/** Relay-style page information, shared by every connection type. */
@Directive('@shareable')
@ObjectType({ description: 'Where a page sits in a list.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}
