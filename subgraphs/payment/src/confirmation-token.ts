import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a confirmation token is accepted: 15 minutes. */
export const CONFIRMATION_TOKEN_SECONDS = 15 * 60;

/**
 * Issues and checks the short-lived tokens with which the paying client confirms a local
 * payment. A token is bound to one payment and expires; it is handed only to the payment's owner
 * (through `Payment.confirmationToken`), so only the paying client can confirm.
 */
export interface ConfirmationTokens {
  /** Issues a token for the payment, valid for {@link CONFIRMATION_TOKEN_SECONDS}. */
  issue(paymentId: string, now?: Date): string;
  /** Tells whether the token was issued here for this payment and has not expired. */
  verify(token: string, paymentId: string, now?: Date): boolean;
}

/**
 * Creates the issuer over a secret of its own, made per process: tokens die with the process
 * (the client reads a new one), which suits the single-node local provider they serve.
 * Format: `<expiry in epoch seconds>.<base64url HMAC-SHA256 of "paymentId.expiry">`.
 */
export function createConfirmationTokens(
  secret: Buffer = randomBytes(32),
  lifetimeSeconds = CONFIRMATION_TOKEN_SECONDS,
): ConfirmationTokens {
  const sign = (paymentId: string, expiry: number): Buffer =>
    createHmac('sha256', secret).update(`${paymentId}.${expiry}`).digest();
  return {
    issue(paymentId, now = new Date()) {
      const expiry = Math.floor(now.getTime() / 1000) + lifetimeSeconds;
      return `${expiry}.${sign(paymentId, expiry).toString('base64url')}`;
    },
    verify(token, paymentId, now = new Date()) {
      const match = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!match) return false;
      const expiry = Number(match[1]);
      if (expiry <= Math.floor(now.getTime() / 1000)) return false;
      // Compare the encoded text, not decoded bytes: the last base64url character carries two
      // unused bits, so decoding would let four spellings of one MAC pass.
      const given = Buffer.from(match[2]!, 'utf8');
      const expected = Buffer.from(sign(paymentId, expiry).toString('base64url'), 'utf8');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
