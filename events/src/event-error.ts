/**
 * Every code an event-decoding failure can carry, with what it means. None of them can succeed
 * on a retry: the same bytes fail the same way, so consumers dead-letter them at once.
 */
export const EVENT_ERROR_CODES = {
  EVENT_MALFORMED: { description: 'The message is not a JSON event envelope.' },
  EVENT_UNKNOWN_TYPE: { description: 'The envelope names an event type the catalogue lacks.' },
  EVENT_UNSUPPORTED_VERSION: {
    description: 'The envelope names a version of its event type this consumer cannot read.',
  },
  EVENT_INVALID: { description: 'The payload does not match its event type and version.' },
  EVENT_SIGNATURE_INVALID: {
    description: 'The message is not signed by the producer its envelope names.',
  },
} as const satisfies Record<string, { description: string }>;

/** A code from {@link EVENT_ERROR_CODES}. */
export type EventErrorCode = keyof typeof EVENT_ERROR_CODES;

/**
 * The error thrown when bytes or an envelope cannot become a catalogued event. It carries
 * `retryable: false`, which the buses read to dead-letter the message without retrying. Its
 * message names fields and rules, never field values, because it travels in dead-letter headers.
 */
export class EventError extends Error {
  /** What went wrong, from {@link EVENT_ERROR_CODES}. */
  readonly code: EventErrorCode;

  /** Always `false`: decoding the same bytes again fails the same way. */
  readonly retryable = false as const;

  constructor(code: EventErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventError';
    this.code = code;
  }
}
