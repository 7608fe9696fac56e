import type { Logger, Viewer } from '@registrar/platform';

/** What the gateway knows about one request while planning and executing it. */
export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  logger: Logger;
}
