/**
 * Every code a seat command can fail with, whether a retry can help, and what it means. The bus
 * reads `retryable` to choose between retrying a command and dead-letterring it; the `satisfies`
 * clause makes a code without that decision a compile error.
 */
export const SEAT_COMMAND_ERROR_CODES = {
  SEAT_COMMAND_INVALID: {
    retryable: false,
    description: 'The command names a registration id that is not a UUID; no retry can apply it.',
  },
  SEAT_COMMAND_UNEXPECTED: {
    retryable: false,
    description: 'An event that is not a seat command arrived on the command topic.',
  },
  SEAT_LEDGER_INCONSISTENT: {
    retryable: false,
    description:
      'The seat ledger disagrees with the module row (a held seat the module does not count); an operator must reconcile them.',
  },
  SEAT_LEDGER_CONTENDED: {
    retryable: true,
    description:
      'A concurrent change moved the seats under this command; it is rolled back and retried.',
  },
} as const satisfies Record<string, { retryable: boolean; description: string }>;

/** A code from {@link SEAT_COMMAND_ERROR_CODES}. */
export type SeatCommandErrorCode = keyof typeof SEAT_COMMAND_ERROR_CODES;

/**
 * The failure of a seat command. Thrown inside the command's transaction, it rolls back every
 * change of the command; `retryable` (from the code's registry entry) tells the bus whether to
 * deliver it again or dead-letter it. The message names fields and rules, never values, because
 * it travels in dead-letter headers.
 */
export class SeatCommandError extends Error {
  /** What went wrong, from {@link SEAT_COMMAND_ERROR_CODES}. */
  readonly code: SeatCommandErrorCode;

  /** Whether delivering the same command again can succeed. */
  readonly retryable: boolean;

  constructor(code: SeatCommandErrorCode, message: string) {
    super(message);
    this.name = 'SeatCommandError';
    this.code = code;
    this.retryable = SEAT_COMMAND_ERROR_CODES[code].retryable;
  }
}
