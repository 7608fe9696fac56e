import type { Logger } from '@registrar/platform';
import type { ErrorRequestHandler, Response } from 'express';

/**
 * Every code the Payment service's own HTTP routes (the Stripe webhook, the local confirmation)
 * answer with, its HTTP status and what it means. The `satisfies` clause makes a code without a
 * status a compile error.
 */
export const PAYMENT_HTTP_ERROR_CODES = {
  WEBHOOK_SIGNATURE_INVALID: {
    status: 400,
    description:
      'The Stripe-Signature header is missing or does not sign this body with the webhook secret.',
  },
  WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE: {
    status: 400,
    description:
      "The signature's timestamp is further from now than the tolerance: an old delivery or a replay.",
  },
  WEBHOOK_EVENT_INVALID: {
    status: 400,
    description: 'The signed body is not a Stripe event of the shape this service reads.',
  },
  BODY_INVALID: { status: 400, description: 'The body is not JSON of the expected shape.' },
  BODY_TOO_LARGE: { status: 413, description: 'The body is larger than the route accepts.' },
  CARD_NUMBER_UNSUPPORTED: {
    status: 400,
    description: 'The local provider accepts only its test card numbers.',
  },
  CONFIRMATION_TOKEN_INVALID: {
    status: 401,
    description: 'The confirmation token is missing, expired, or not for this payment.',
  },
  PAYMENT_NOT_FOUND: { status: 404, description: 'No payment has the given id.' },
  PAYMENT_NOT_PAYABLE: {
    status: 409,
    description: 'The payment is no longer waiting to be paid (or is not a local payment).',
  },
  CARD_DECLINED: { status: 402, description: 'The card was declined; the payment failed.' },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    description: 'An unexpected failure; it has been logged. The caller may retry.',
  },
} as const satisfies Record<string, { status: number; description: string }>;

/** A code from {@link PAYMENT_HTTP_ERROR_CODES}. */
export type PaymentHttpErrorCode = keyof typeof PAYMENT_HTTP_ERROR_CODES;

/** Answers with a typed JSON error: `{ error: { code, message, ...extra } }`, never a stack. */
export function sendHttpError(
  res: Response,
  code: PaymentHttpErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(PAYMENT_HTTP_ERROR_CODES[code].status).json({ error: { code, message, ...extra } });
}

// body-parser's error types for a body that could not be read as asked.
const UNREADABLE_BODY = new Set([
  'entity.parse.failed',
  'encoding.unsupported',
  'charset.unsupported',
  'entity.verify.failed',
  'request.size.invalid',
]);

/**
 * The routes' one boundary for anything thrown: body-parser's refusals become typed 4xx answers,
 * anything else a masked 500 that is logged once. The error is never logged whole: body-parser
 * keeps the raw body on it, and a confirmation body holds a card number.
 */
export function createRouteErrorHandler(logger: Logger, route: string): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      return sendHttpError(res, 'BODY_TOO_LARGE', 'The body is too large for this route.');
    }
    if (typeof type === 'string' && UNREADABLE_BODY.has(type)) {
      return sendHttpError(res, 'BODY_INVALID', 'The body could not be read as JSON.');
    }
    const err =
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : { name: typeof error, message: 'A value that is not an Error was thrown.' };
    logger.error({ route, err }, 'payment route failed');
    sendHttpError(res, 'INTERNAL_SERVER_ERROR', 'The payment service failed; try again shortly.');
  };
}
