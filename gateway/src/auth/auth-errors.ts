import type { Response } from 'express';
import { ERROR_CODES } from '@registrar/platform';
import type { ErrorCode } from '@registrar/platform';

/** Answers an HTTP auth route with a typed error: `{ error: { code, message } }`. */
export function sendAuthError(res: Response, code: ErrorCode, message: string): void {
  res.status(ERROR_CODES[code].status).json({ error: { code, message } });
}

/** The one answer to a failed login or refresh: it never says which part was wrong. */
export const SIGN_IN_FAILED = 'Those sign-in details are not valid. Check them and try again.';
