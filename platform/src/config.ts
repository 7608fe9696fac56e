import { z } from 'zod';

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment with a zod schema. A wrong or missing variable throws a
 * {@link ConfigError} whose message names every offending variable and what was expected.
 */
export function parseConfig<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

/** A TCP port number given as an environment string; blank is refused, not read as 0. */
export const portSchema = z
  .string()
  .trim()
  .regex(/^[0-9]+$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .pipe(z.number().int().max(65535, 'must be a whole number from 0 to 65535'));

/** A PostgreSQL connection URL. */
export const postgresUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');

/** The log level names pino accepts. */
export const logLevelSchema = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** A boolean given as `true`/`false`/`1`/`0` in the environment. */
export const envBooleanSchema = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** A comma-separated list in one variable, trimmed, empty entries dropped. */
export const commaListSchema = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** The web client's origins in development, allowed to use cookie sessions by default. */
export const DEFAULT_ALLOWED_ORIGINS: string[] = [
  'http://127.0.0.1:4000',
  'http://localhost:4000',
  'http://localhost:5173',
];
