import { PageInfo } from '@registrar/platform';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Where a student stands with the university. */
export enum StudentStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  WITHDRAWN = 'WITHDRAWN',
  GRADUATED = 'GRADUATED',
}

registerEnumType(StudentStatus, {
  name: 'StudentStatus',
  description: 'Where a student stands with the university.',
  valuesConfig: {
    ACTIVE: { description: 'Enrolled and may register for modules.' },
    SUSPENDED: { description: 'Enrolment paused; registrations are on hold.' },
    WITHDRAWN: { description: 'Left the university before finishing.' },
    GRADUATED: { description: 'Finished the programme.' },
  },
});

/** A student as the API shows it; personal fields are null unless the viewer may see them. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A student of the university.' })
export class Student {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The student number, such as s0001.' })
  studentNumber!: string;

  @Field({ description: 'Given name, then family name.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Shown only to the student themself and to staff; null for anyone else.',
  })
  email!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'ISO date (YYYY-MM-DD); shown only to the student themself and to staff, null otherwise.',
  })
  dateOfBirth!: string | null;

  @Field({ description: 'The degree programme, such as BSc Computer Science.' })
  programme!: string;

  @Field(() => Int, { description: 'The year of study, 1 to 7.' })
  yearOfStudy!: number;

  @Field(() => StudentStatus)
  status!: StudentStatus;
}

@ObjectType()
export class StudentEdge {
  @Field()
  cursor!: string;

  @Field(() => Student)
  node!: Student;
}

/** One page of students. */
@ObjectType({ description: 'One page of students, ordered by student number.' })
export class StudentConnection {
  @Field(() => [StudentEdge])
  edges!: StudentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many students match the search, across all pages.' })
  totalCount!: number;
}
