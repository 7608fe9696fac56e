import { buildFederatedSchema, parseUuid } from '@registrar/platform';
import type { GraphQLSchema } from 'graphql';
import { canSeePayment } from './payment.access.js';
import type { PaymentContext } from './payment.context.js';
import { toPayment } from './payment.mapper.js';
import { PaymentResolver } from './payment.resolver.js';
import { RegistrationReference } from './payment.types.js';
import { RegistrationPaymentResolver } from './registration-payment.resolver.js';

/** Builds the Payment subgraph's schema; it needs no database, so composition can call it. */
export function buildPaymentSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema<PaymentContext>({
    resolvers: [PaymentResolver, RegistrationPaymentResolver],
    // No query returns a Registration here; it enters the schema as an entity only.
    orphanedTypes: [RegistrationReference],
    referenceResolvers: {
      async Payment(representation, context) {
        const row = await context.paymentById.load(
          parseUuid(String(representation['id']), 'id', 'payment id'),
        );
        return row && canSeePayment(context.viewer, row)
          ? toPayment(row, context.viewer, context.confirmationTokens)
          : null;
      },
      // The key is all this subgraph knows of a registration; `payment` then loads through the
      // request's loader, so many registrations in one `_entities` call cost one query.
      Registration(representation): RegistrationReference {
        return { id: parseUuid(String(representation['id']), 'id', 'registration id') };
      },
    },
  });
}
