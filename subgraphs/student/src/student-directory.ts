import { decodeCursor, encodeCursor } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import { StudentEntity } from './student.entity.js';

/** A page of student rows. */
export interface StudentPage {
  rows: StudentEntity[];
  hasNextPage: boolean;
  totalCount: number;
}

/** Reads the student records. */
export interface StudentDirectory {
  /** The students with these ids, in one query; unknown ids are absent. */
  findByIds(ids: readonly string[]): Promise<StudentEntity[]>;
  /** The student with this number, if any. */
  findByNumber(studentNumber: string): Promise<StudentEntity | undefined>;
  /**
   * One page of students whose number or name contains `search` (matched literally, without
   * regard to case), ordered by student number, after the cursor.
   */
  findPage(search: string | undefined, first: number, after?: string | null): Promise<StudentPage>;
}

/** Creates the directory over the Student service's data source. */
export function createStudentDirectory(dataSource: DataSource): StudentDirectory {
  const repository = dataSource.getRepository(StudentEntity);
  return {
    async findByIds(ids) {
      if (ids.length === 0) return [];
      return repository
        .createQueryBuilder('s')
        .where('s.id = ANY(:ids)', { ids: [...ids] })
        .getMany();
    },
    async findByNumber(studentNumber) {
      const row = await repository.findOneBy({ studentNumber });
      return row ?? undefined;
    },
    async findPage(search, first, after) {
      const afterNumber = after ? decodeCursor(after) : undefined;
      const query = repository.createQueryBuilder('s');
      if (search) {
        // Wildcards typed by the user are matched literally, not as patterns.
        const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query.andWhere(
          "(s.student_number ILIKE :pattern OR (s.given_name || ' ' || s.family_name) ILIKE :pattern)",
          { pattern },
        );
      }
      const totalCount = await query.getCount();
      if (afterNumber) query.andWhere('s.student_number > :after', { after: afterNumber });
      const rows = await query
        .orderBy('s.student_number', 'ASC')
        .limit(first + 1)
        .getMany();
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
    },
  };
}

/** Encodes the cursor of a student row. */
export function studentCursor(row: StudentEntity): string {
  return encodeCursor(row.studentNumber);
}
