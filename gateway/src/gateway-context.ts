import type { Logger, Viewer } from '@registrar/platform';

/** What the gateway knows about one request while planning and executing it. */
export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  /** The client's address, as the limits resolve it (X-Forwarded-For only from trusted proxies). */
  clientIp: string;
  logger: Logger;
}
