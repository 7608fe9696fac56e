import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The Module subgraph's view of a registration: only its key, to which this subgraph adds
 * `waitlistPosition`. The Registration subgraph owns every other field. The class has its own
 * name so that it can never be mistaken for another subgraph's class in type-graphql's
 * process-wide metadata; only the GraphQL name is shared.
 */
@Directive('@key(fields: "id")')
// No description: the Registration subgraph, which owns the type, describes it.
@ObjectType('Registration')
export class RegistrationReference {
  @Field(() => ID)
  id!: string;
}
