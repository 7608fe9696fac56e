import type { Viewer } from '@registrar/platform';
import { canSeePersonalData } from './student.access.js';
import type { StudentEntity } from './student.entity.js';
import { StudentStatus } from './student.types.js';
import type { Student } from './student.types.js';

/**
 * Turns a stored student into its GraphQL shape as `viewer` may see it: e-mail and date of birth
 * are null unless {@link canSeePersonalData} allows them.
 */
export function toStudent(row: StudentEntity, viewer: Viewer): Student {
  const personal = canSeePersonalData(viewer, row.id);
  return {
    id: row.id,
    studentNumber: row.studentNumber,
    name: `${row.givenName} ${row.familyName}`,
    email: personal ? row.email : null,
    dateOfBirth: personal ? row.dateOfBirth : null,
    programme: row.programme,
    yearOfStudy: row.yearOfStudy,
    status: StudentStatus[row.status],
  };
}
