/**
 * Every code a payment command or provider call can fail with, whether a retry can help, and what
 * it means. The bus reads `retryable` to choose between retrying a command and dead-lettering it;
 * the `satisfies` clause makes a code without that decision a compile error.
 */
export const PAYMENT_ERROR_CODES = {
  PAYMENT_COMMAND_INVALID: {
    retryable: false,
    description: 'The command names a registration or student id that is not a UUID.',
  },
  PAYMENT_COMMAND_UNEXPECTED: {
    retryable: false,
    description: 'An event that is not a payment command arrived on the command topic.',
  },
  PAYMENT_PROVIDER_UNAVAILABLE: {
    retryable: true,
    description:
      'The payment provider could not be reached or failed on its side; the command is rolled back and retried with the same idempotency key.',
  },
  PAYMENT_PROVIDER_REFUSED: {
    retryable: false,
    description:
      'The payment provider refused the request as invalid (amount, currency, a reused idempotency key with other parameters); no retry can change that.',
  },
  PAYMENT_PROVIDER_NOT_CONFIGURED: {
    retryable: false,
    description:
      'The payment was taken by a provider this process is not configured for (Stripe without STRIPE_SECRET_KEY); replay the dead letter once it is.',
  },
  PAYMENT_NOT_CANCELLABLE: {
    retryable: true,
    description:
      'The provider is still processing the payment, so it can be neither cancelled nor refunded yet; retried until it settles.',
  },
} as const satisfies Record<string, { retryable: boolean; description: string }>;

/** A code from {@link PAYMENT_ERROR_CODES}. */
export type PaymentErrorCode = keyof typeof PAYMENT_ERROR_CODES;

/**
 * The failure of a payment command or of a call to the provider. Thrown inside a command's
 * transaction, it rolls back every change of the command. The message names fields and rules,
 * never values (it travels in dead-letter headers); `providerCode` keeps the provider's own code,
 * such as `parameter_invalid_integer`, for operators.
 */
export class PaymentError extends Error {
  /** What went wrong, from {@link PAYMENT_ERROR_CODES}. */
  readonly code: PaymentErrorCode;

  /** Whether trying the same thing again can succeed. */
  readonly retryable: boolean;

  /** The provider's error code, when the provider gave one. */
  readonly providerCode: string | undefined;

  constructor(
    code: PaymentErrorCode,
    message: string,
    options: { providerCode?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PaymentError';
    this.code = code;
    this.retryable = PAYMENT_ERROR_CODES[code].retryable;
    this.providerCode = options.providerCode;
  }
}
