export { studentSubgraph, startStudentService } from './student.service.js';
export { buildStudentSchema } from './student.schema.js';
