import { createError } from './errors.js';

// Version 1 cursors hold the key's length too, so a cursor cut short is refused rather than
// read as a shorter key (which would silently start the page in the wrong place).
const CURSOR_FORMAT = /^c1:([0-9]{1,3}):(.+)$/s;

/** Encodes an opaque cursor for a position in a list ordered by a unique sort key. */
export function encodeCursor(sortKey: string): string {
  return Buffer.from(`c1:${sortKey.length}:${sortKey}`, 'utf8').toString('base64url');
}

/**
 * Decodes a cursor produced by {@link encodeCursor}.
 * @throws BAD_USER_INPUT naming `argument` when the cursor was not issued by this service.
 */
export function decodeCursor(cursor: string, argument = 'after'): string {
  const text = cursor.length <= 200 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const [, length, key] = CURSOR_FORMAT.exec(text) ?? [];
  if (!key || Number(length) !== key.length) {
    throw createError(
      'BAD_USER_INPUT',
      `The cursor in "${argument}" is not valid. Use the endCursor of a previous page, or omit it to start from the beginning.`,
      { argument },
    );
  }
  return key;
}

/**
 * Validates a page size argument.
 * @returns the size, or `defaultSize` when omitted.
 * @throws BAD_USER_INPUT naming `argument` when below 1 or above `max`.
 */
export function parsePageSize(
  value: number | null | undefined,
  { argument = 'first', defaultSize = 20, max = 100 } = {},
): number {
  if (value === null || value === undefined) return defaultSize;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw createError(
      'BAD_USER_INPUT',
      `"${argument}" must be a whole number from 1 to ${max}; it was ${value}.`,
      { argument },
    );
  }
  return value;
}
