import { runSubgraphProcess } from '@registrar/platform';
import { studentSubgraph } from './student.service.js';

runSubgraphProcess(studentSubgraph, 4001);
