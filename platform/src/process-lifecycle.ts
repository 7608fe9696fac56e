import { ConfigError } from './config.js';
import type { Logger } from './logger.js';

/** Something started that must be stopped on shutdown. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 15_000;

/**
 * Runs a process's composition root: starts it, and on SIGINT or SIGTERM stops it gracefully
 * (in-flight requests finish, connections close) and exits 0. A configuration error prints the
 * offending variables and exits 2; any other start-up failure is logged once and exits 1.
 */
export async function runUntilSignalled(
  logger: Logger,
  start: () => Promise<Stoppable>,
): Promise<void> {
  let running: Stoppable;
  try {
    running = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
