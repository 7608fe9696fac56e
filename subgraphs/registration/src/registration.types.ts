import { PageInfo } from '@registrar/platform';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { RegistrationStatus } from './registration-status.js';

/** One status change in a registration's history. */
@ObjectType({ description: 'One status change of a registration.' })
export class RegistrationHistoryEntry {
  @Field(() => RegistrationStatus, { nullable: true, description: 'null for the first entry.' })
  from!: RegistrationStatus | null;

  @Field(() => RegistrationStatus)
  to!: RegistrationStatus;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field({ description: 'Who made the change: student, staff or system.' })
  actor!: string;

  @Field()
  occurredAt!: Date;
}

/** A student, as far as the Registration service knows one: by id. */
@Directive('@key(fields: "id")')
@ObjectType('Student')
export class StudentReference {
  @Field(() => ID)
  id!: string;
}

/** A module, as far as the Registration service knows one: by code. */
@Directive('@key(fields: "code")')
@ObjectType('Module')
export class ModuleReference {
  @Field()
  code!: string;
}

/** A student's registration on a module. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A student's registration on a module, with its history." })
export class Registration {
  @Field(() => ID)
  id!: string;

  @Field(() => RegistrationStatus)
  status!: RegistrationStatus;

  @Field(() => String, {
    nullable: true,
    description: 'Why the registration is in its status, when that needs saying.',
  })
  reason!: string | null;

  @Field()
  term!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  // Resolved by field resolvers; kept here for the mappers and never exposed directly.
  studentId!: string;
  moduleCode!: string;
}

/** Filters of the staff registration list. */
@InputType({ description: 'Narrows the registration list; every given filter must match.' })
export class RegistrationFilter {
  @Field(() => String, { nullable: true })
  moduleCode?: string | null;

  @Field(() => ID, { nullable: true })
  studentId?: string | null;

  @Field(() => [RegistrationStatus], { nullable: true })
  status?: RegistrationStatus[] | null;
}

@ObjectType()
export class RegistrationEdge {
  @Field()
  cursor!: string;

  @Field(() => Registration)
  node!: Registration;
}

/** One page of registrations, newest first. */
@ObjectType({ description: 'One page of registrations, newest first.' })
export class RegistrationConnection {
  @Field(() => [RegistrationEdge])
  edges!: RegistrationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** Rules staff may waive for one registration. */
export enum OverridableRuleValue {
  PREREQUISITE = 'PREREQUISITE',
  TIMETABLE_CLASH = 'TIMETABLE_CLASH',
  CAPACITY = 'CAPACITY',
}

registerEnumType(OverridableRuleValue, {
  name: 'OverridableRule',
  description: 'A registration rule that registry staff may waive for one student.',
});

/** One step the registration saga took, for staff asking why a registration is stuck. */
@ObjectType({ description: 'One step of the saga that carries a registration through.' })
export class SagaStepEntry {
  @Field({ description: 'Where the saga stood after the step.' })
  step!: string;

  @Field({ description: 'The event or job that caused it.' })
  cause!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field()
  occurredAt!: Date;
}
