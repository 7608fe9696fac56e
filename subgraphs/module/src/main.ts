import { loadServiceEvents } from '@registrar/events';
import { runSubgraphProcess } from '@registrar/platform';
import { moduleSubgraph, startModuleService } from './module.service.js';

// The Module service as its own process: the catalogue, and its seat commands on Kafka.
runSubgraphProcess(moduleSubgraph, 4002, async (options) => {
  const events = await loadServiceEvents('module', options.logger);
  const service = await startModuleService({ ...options, events });
  return {
    async stop() {
      await service.stop();
      await events.close();
    },
  };
});
