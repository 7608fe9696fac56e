import { loadServiceEvents } from '@registrar/events';
import { runSubgraphProcess } from '@registrar/platform';
import { registrationSubgraph, startRegistrationService } from './registration.service.js';

// The Registration service as its own process: the subgraph, and the saga on Kafka.
runSubgraphProcess(registrationSubgraph, 4003, async (options) => {
  const events = await loadServiceEvents('registration', options.logger);
  const service = await startRegistrationService({ ...options, events });
  return {
    async stop() {
      await service.stop();
      await events.close();
    },
  };
});
