export { moduleSubgraph, startModuleService } from './module.service.js';
export { buildModuleSchema } from './module.schema.js';
