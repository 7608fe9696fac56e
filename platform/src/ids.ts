import { createError } from './errors.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Tells whether a string is a UUID in the lower-case hyphenated form PostgreSQL prints. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * Normalises an id argument (spaces, case).
 * @param what how the message names the id, such as 'payment id'.
 * @returns the id in lower case.
 * @throws BAD_USER_INPUT naming `argument` when it is not a UUID.
 */
export function parseUuid(value: string, argument: string, what = 'id'): string {
  const normalised = value.trim().toLowerCase();
  if (normalised.length > 36 || !UUID_PATTERN.test(normalised)) {
    throw createError(
      'BAD_USER_INPUT',
      `"${argument}" must be a ${what} (a UUID such as 0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f).`,
      { argument },
    );
  }
  return normalised;
}
