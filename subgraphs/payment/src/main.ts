import { loadServiceEvents } from '@registrar/events';
import { parseConfig, runSubgraphProcess } from '@registrar/platform';
import { z } from 'zod';
import { paymentSubgraph, startPaymentService } from './payment.service.js';
import { selectPaymentProvider } from './payment-providers.js';

const providerSchema = z.object({
  PAYMENT_PROVIDER: z.enum(['local', 'stripe']).optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
});

// The Payment service as its own process: payments, webhooks and its commands on Kafka.
runSubgraphProcess(paymentSubgraph, 4004, async (options) => {
  const provider = selectPaymentProvider(parseConfig(providerSchema));
  const events = await loadServiceEvents('payment', options.logger);
  const service = await startPaymentService({ ...options, events, provider });
  return {
    async stop() {
      await service.stop();
      await events.close();
    },
  };
});
