export { registrationSubgraph, startRegistrationService } from './registration.service.js';
export { buildRegistrationSchema } from './registration.schema.js';
export { RegistrationStatus } from './registration-status.js';
