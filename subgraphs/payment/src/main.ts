import { runSubgraphProcess } from '@registrar/platform';
import { paymentSubgraph } from './payment.service.js';

runSubgraphProcess(paymentSubgraph, 4004);
