import { buildFederatedSchema, parseUuid } from '@registrar/platform';
import type { GraphQLSchema } from 'graphql';
import type { RegistrationContext } from './registration.context.js';
import { StudentHoldsResolver } from './student-holds.resolver.js';
import {
  ModuleRegistrationsResolver,
  RegistrationResolver,
  StudentRegistrationsResolver,
  loadRegistration,
} from './registration.resolver.js';

/** Builds the Registration subgraph's schema; it needs no database, so composition can call it. */
export function buildRegistrationSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema<RegistrationContext>({
    resolvers: [
      RegistrationResolver,
      StudentRegistrationsResolver,
      ModuleRegistrationsResolver,
      StudentHoldsResolver,
    ],
    referenceResolvers: {
      Registration: (representation, context) =>
        loadRegistration(parseUuid(String(representation['id']), 'id'), context),
      Student: (representation) => ({ id: parseUuid(String(representation['id']), 'id') }),
      Module: (representation) => ({ code: String(representation['code']) }),
    },
  });
}
