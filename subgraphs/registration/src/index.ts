export {
  createRegistrationSubgraph,
  registrationSubgraph,
  startRegistrationService,
} from './registration.service.js';
export type { RegistrationService, RegistrationServiceOptions } from './registration.service.js';
export { buildRegistrationSchema } from './registration.schema.js';
export { RegistrationStatus } from './registration-status.js';
export { DEFAULT_SAGA_SETTINGS } from './saga/registration.saga.js';
export type { SagaSettings } from './saga/registration.saga.js';
