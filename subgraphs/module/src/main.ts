import { runSubgraphProcess } from '@registrar/platform';
import { moduleSubgraph } from './module.service.js';

runSubgraphProcess(moduleSubgraph, 4002);
