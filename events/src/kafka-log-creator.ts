import { logLevel } from 'kafkajs';
import type { logCreator, LogEntry } from 'kafkajs';
import type { Logger } from '@registrar/platform';

const PINO_METHODS = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
} as const satisfies Partial<Record<logLevel, keyof Logger>>;

/** pino stamps its own time and names its own logger; kafkajs's copies would repeat them. */
const REPEATED_FIELDS: ReadonlySet<string> = new Set(['timestamp', 'logger']);

/**
 * Routes kafkajs's own log lines into the process's pino logger as structured fields, so they
 * are redacted and shipped like every other line instead of printed as kafkajs's JSON.
 * kafkajs's level is set separately (the Kafka bus uses WARN); this only maps and forwards.
 */
export function createKafkaLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });

  return () => (entry: LogEntry) => {
    if (entry.level === logLevel.NOTHING) {
      return;
    }

    const { message, ...extra } = entry.log;
    const fields = Object.fromEntries(
      Object.entries(extra).filter(([name]) => !REPEATED_FIELDS.has(name)),
    );
    kafkaLogger[PINO_METHODS[entry.level]]({ namespace: entry.namespace, ...fields }, message);
  };
}
