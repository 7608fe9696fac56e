import { Money, PageInfo } from '@registrar/platform';
import { Directive, Field, InputType, Int, ObjectType } from 'type-graphql';

/** A weekly teaching slot. */
@ObjectType({ description: 'A weekly teaching slot.' })
export class TimetableSlot {
  @Field({ description: 'MON to FRI.' })
  day!: string;

  @Field({ description: 'Start time, 24-hour HH:MM, local to the university.' })
  start!: string;

  @Field({ description: 'End time, 24-hour HH:MM.' })
  end!: string;

  @Field()
  room!: string;
}

/** A module as the catalogue shows it. */
@Directive('@key(fields: "code")')
@ObjectType({ description: 'A module offered in a term.' })
export class Module {
  @Field({ description: 'The module code, such as COMP1001.' })
  code!: string;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field()
  department!: string;

  @Field(() => Int)
  credits!: number;

  @Field({ description: 'The term the module runs in, such as AUTUMN-2026.' })
  term!: string;

  @Field(() => Int)
  capacity!: number;

  @Field(() => Int, {
    description: 'Seats still free; 0 when full (new registrations are waitlisted).',
  })
  seatsAvailable!: number;

  @Field(() => Money, { description: 'The fee; amount 0 for a free module.' })
  fee!: Money;

  @Field(() => [TimetableSlot])
  timetable!: TimetableSlot[];

  @Field(() => [String], { description: 'Codes of the modules a student must have passed first.' })
  prerequisites!: string[];

  @Field()
  registrationOpensAt!: Date;

  @Field()
  registrationClosesAt!: Date;

  @Field({ description: 'Whether registration is open right now.' })
  registrationOpen!: boolean;
}

/** Filters of the module catalogue. */
@InputType({ description: 'Narrows the catalogue; every given filter must match.' })
export class ModuleFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Words in the code, title or description (up to 100 characters).',
  })
  search?: string | null;

  @Field(() => String, { nullable: true })
  term?: string | null;

  @Field(() => String, { nullable: true })
  department?: string | null;

  @Field(() => Int, { nullable: true })
  credits?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only modules with a free seat.' })
  hasSeats?: boolean | null;
}

@ObjectType()
export class ModuleEdge {
  @Field()
  cursor!: string;

  @Field(() => Module)
  node!: Module;
}

/** One page of the catalogue. */
@ObjectType({ description: 'One page of modules, ordered by code.' })
export class ModuleConnection {
  @Field(() => [ModuleEdge])
  edges!: ModuleEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many modules match the filter, across all pages.' })
  totalCount!: number;
}
