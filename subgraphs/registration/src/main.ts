import { runSubgraphProcess } from '@registrar/platform';
import { registrationSubgraph } from './registration.service.js';

runSubgraphProcess(registrationSubgraph, 4003);
