import { pino } from 'pino';
import type { Logger, LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Field paths that may carry personal data or secrets. pino replaces their values before a line
 * is written, wherever in the first three levels of a log object they appear (arrays included).
 */
export const REDACTED_PATHS: readonly string[] = [
  'email',
  'dateOfBirth',
  'name',
  'givenName',
  'familyName',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'variables',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
].flatMap((path) => (path.includes('.') ? [path] : [path, `*.${path}`, `*.*.${path}`]));

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** The process or service name, written on every line. */
  service: string;
  /** The minimum level written. @default 'info' */
  level?: LoggerOptions['level'];
  /** Where lines go; tests pass a stream to read them back. @default standard output */
  destination?: pino.DestinationStream;
}

/**
 * Creates the structured logger of one process. Personal fields and secrets are redacted by
 * configuration, so a careless `logger.info({ student })` cannot leak them.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
