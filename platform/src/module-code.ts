import { createError } from './errors.js';

/** Module codes: 2 to 5 capital letters, then 4 digits (COMP1001). */
export const MODULE_CODE_PATTERN = /^[A-Z]{2,5}[0-9]{4}$/;

/**
 * Normalises a module code typed by a person (case, surrounding spaces).
 * @throws BAD_USER_INPUT naming `argument` when it cannot be a module code.
 */
export function parseModuleCode(code: string, argument = 'code'): string {
  const normalised = code.trim().toUpperCase();
  if (normalised.length > 12 || !MODULE_CODE_PATTERN.test(normalised)) {
    throw createError(
      'BAD_USER_INPUT',
      `"${argument}" must be a module code such as COMP1001 (letters then four digits).`,
      {
        argument,
      },
    );
  }
  return normalised;
}
