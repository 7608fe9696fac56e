import { startSubgraphService } from '@registrar/platform';
import type {
  SubgraphDefinition,
  SubgraphService,
  SubgraphServiceOptions,
} from '@registrar/platform';
import { createPaymentLedger } from './payment-ledger.js';
import { createPaymentContext } from './payment.context.js';
import type { PaymentContext } from './payment.context.js';
import { PaymentEntity } from './payment.entity.js';
import { buildPaymentSchema } from './payment.schema.js';
import { seedPayments } from './payment.seed.js';
import { CreatePayments1764720400000 } from './migrations/1764720400000-create-payments.js';

/** The Payment subgraph: fees owed and paid, with no card data ever stored. */
export const paymentSubgraph: SubgraphDefinition<PaymentContext> = {
  name: 'payment',
  entities: [PaymentEntity],
  migrations: [CreatePayments1764720400000],
  buildSchema: buildPaymentSchema,
  seed: seedPayments,
  createContextFactory(dataSource) {
    const ledger = createPaymentLedger(dataSource);
    return (base) => createPaymentContext(base, ledger);
  },
};

/** Opens the Payment database (migrating it), seeds it if asked, and serves the subgraph. */
export function startPaymentService(options: SubgraphServiceOptions): Promise<SubgraphService> {
  return startSubgraphService(paymentSubgraph, options);
}
