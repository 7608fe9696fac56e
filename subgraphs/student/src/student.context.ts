import { createBatchLoader } from '@registrar/platform';
import type { BaseContext } from '@registrar/platform';
import type DataLoader from 'dataloader';
import type { StudentDirectory } from './student-directory.js';
import type { StudentEntity } from './student.entity.js';

/** What the Student service's resolvers receive for one request. */
export interface StudentContext extends BaseContext {
  directory: StudentDirectory;
  /**
   * Batches every lookup by id made while resolving one request (an `_entities` call included)
   * into one query. Ids must be validated UUIDs: one malformed id would fail the whole batch.
   */
  studentById: DataLoader<string, StudentEntity | undefined>;
}

/** Builds the per-request context of the Student service. */
export function createStudentContext(
  base: BaseContext,
  directory: StudentDirectory,
): StudentContext {
  return {
    ...base,
    directory,
    studentById: createBatchLoader(async (ids) => {
      const rows = await directory.findByIds(ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    }),
  };
}
