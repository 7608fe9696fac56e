import { startSubgraphService } from '@registrar/platform';
import type {
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import { createStudentDirectory } from './student-directory.js';
import { createStudentContext } from './student.context.js';
import type { StudentContext } from './student.context.js';
import { StudentEntity } from './student.entity.js';
import { buildStudentSchema } from './student.schema.js';
import { seedStudents } from './student.seed.js';
import { CreateStudents1764720100000 } from './migrations/1764720100000-create-students.js';

/** The Student subgraph: student records and their personal data. */
export const studentSubgraph: SubgraphDefinition<StudentContext> = {
  name: 'student',
  entities: [StudentEntity],
  migrations: [CreateStudents1764720100000],
  buildSchema: buildStudentSchema,
  seed: seedStudents,
  createContextFactory(dataSource) {
    const directory = createStudentDirectory(dataSource);
    return (base) => createStudentContext(base, directory);
  },
};

/** Opens the Student database (migrating it), seeds it if asked, and serves the subgraph. */
export function startStudentService(options: SubgraphServiceOptions): Promise<SubgraphService> {
  return startSubgraphService(studentSubgraph, options);
}
