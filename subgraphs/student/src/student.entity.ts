import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The lifecycle states of a student record, as stored in `students.status`. */
export const STUDENT_STATUSES = ['ACTIVE', 'SUSPENDED', 'WITHDRAWN', 'GRADUATED'] as const;
/** One of {@link STUDENT_STATUSES}. */
export type StudentStatusValue = (typeof STUDENT_STATUSES)[number];

/**
 * A student as stored by the Student service. `email` and `dateOfBirth` are personal data: they
 * are shown only through `canSeePersonalData` and never logged or put in an error message.
 */
@Entity({ name: 'students' })
export class StudentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'student_number', type: 'varchar', length: 12 })
  studentNumber!: string;

  @Column({ name: 'given_name', type: 'varchar', length: 100 })
  givenName!: string;

  @Column({ name: 'family_name', type: 'varchar', length: 100 })
  familyName!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** An ISO date (YYYY-MM-DD); TypeORM hydrates `date` columns as strings, not `Date`s. */
  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth!: string;

  @Column({ type: 'varchar', length: 200 })
  programme!: string;

  @Column({ name: 'year_of_study', type: 'int' })
  yearOfStudy!: number;

  @Column({ type: 'varchar', length: 12, default: 'ACTIVE' })
  status!: StudentStatusValue;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
