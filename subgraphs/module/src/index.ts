export { createModuleSubgraph, moduleSubgraph, startModuleService } from './module.service.js';
export type { ModuleService, ModuleServiceOptions } from './module.service.js';
export { buildModuleSchema } from './module.schema.js';
export { SEAT_COMMAND_CONSUMER, handleSeatCommand } from './seat-command.handler.js';
export { SEAT_COMMAND_ERROR_CODES, SeatCommandError } from './seat-command-error.js';
export type { SeatCommandErrorCode } from './seat-command-error.js';
