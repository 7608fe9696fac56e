import { demoStudents } from '@registrar/platform';
import type { DataSource } from 'typeorm';

/** One row of the `students` table as the seed writes it (column names as keys). */
export interface StudentSeedRecord {
  id: string;
  student_number: string;
  given_name: string;
  family_name: string;
  email: string;
  date_of_birth: string;
  programme: string;
  year_of_study: number;
  status: 'ACTIVE';
}

/** The rows of the 200 demo students, all active. */
export function buildStudentSeedRecords(): StudentSeedRecord[] {
  return demoStudents().map((s) => ({
    id: s.id,
    student_number: s.studentNumber,
    given_name: s.givenName,
    family_name: s.familyName,
    email: s.email,
    date_of_birth: s.dateOfBirth,
    programme: s.programme,
    year_of_study: s.yearOfStudy,
    status: 'ACTIVE',
  }));
}

/**
 * Seeds the demo students once: existing records are left as they are, so a second start keeps
 * whatever the demo changed. Returns how many students were inserted.
 */
export async function seedStudents(dataSource: DataSource): Promise<number> {
  // One statement for every student: the records travel as a single JSON parameter.
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO students (id, student_number, given_name, family_name, email, date_of_birth,
       programme, year_of_study, status)
     SELECT id, student_number, given_name, family_name, email, date_of_birth, programme,
       year_of_study, status
     FROM jsonb_populate_recordset(NULL::students, $1::jsonb)
     ON CONFLICT DO NOTHING RETURNING id`,
    [JSON.stringify(buildStudentSeedRecords())],
  );
  return inserted.length;
}
