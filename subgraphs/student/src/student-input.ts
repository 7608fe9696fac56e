import { createError, parseUuid } from '@registrar/platform';

/** Student numbers: a lower-case `s` and 4 to 8 digits (s0001). */
export const STUDENT_NUMBER_PATTERN = /^s[0-9]{4,8}$/;
/** The longest search text accepted. */
export const MAX_SEARCH_LENGTH = 100;

/**
 * Normalises a student id given by a caller.
 * @returns the id in lower case.
 * @throws BAD_USER_INPUT naming `argument` when it is not a UUID.
 */
export function parseStudentId(value: string, argument = 'id'): string {
  return parseUuid(value, argument, 'student id');
}

/**
 * Normalises a student number typed by a person (case, spaces).
 * @throws BAD_USER_INPUT naming `argument` when it cannot be a student number.
 */
export function parseStudentNumber(value: string, argument = 'studentNumber'): string {
  const normalised = value.trim().toLowerCase();
  if (!STUDENT_NUMBER_PATTERN.test(normalised)) {
    throw createError(
      'BAD_USER_INPUT',
      `"${argument}" must be a student number such as s0001 (the letter s and 4 to 8 digits).`,
      { argument },
    );
  }
  return normalised;
}

/**
 * Trims a search text.
 * @returns the text, or undefined when absent or blank.
 * @throws BAD_USER_INPUT naming `argument` when longer than {@link MAX_SEARCH_LENGTH}.
 */
export function parseSearch(
  value: string | null | undefined,
  argument = 'search',
): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_SEARCH_LENGTH) {
    throw createError(
      'BAD_USER_INPUT',
      `"${argument}" may hold at most ${MAX_SEARCH_LENGTH} characters; it held ${trimmed.length}.`,
      { argument },
    );
  }
  return trimmed;
}
