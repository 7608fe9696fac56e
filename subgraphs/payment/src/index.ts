export { paymentSubgraph, startPaymentService } from './payment.service.js';
export { buildPaymentSchema } from './payment.schema.js';
