import { createError, hasRole } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';

// The shield rules (platform/src/rbac/permissions.ts) admit students and finance to payment
// fields; ownership, which needs the row, is checked here.

/** Tells whether the viewer is the student who owns the payment. */
export function isPaymentOwner(viewer: Viewer, payment: { studentId: string }): boolean {
  return viewer.kind === 'user' && viewer.studentId === payment.studentId;
}

/**
 * Tells whether the viewer may see a payment's details: the owning student, or the finance
 * office. Everyone else sees no payment at all.
 */
export function canSeePayment(viewer: Viewer, payment: { studentId: string }): boolean {
  return isPaymentOwner(viewer, payment) || hasRole(viewer, 'finance');
}

/**
 * Requires that the viewer may see the payment (`undefined` when none matched). A student asking
 * for anyone else's payment, or for one that does not exist, gets the same answer, so that the
 * error never reveals whether someone else's payment exists.
 * @throws UNAUTHENTICATED for anonymous callers, FORBIDDEN for anyone else without the right.
 */
export function assertCanSeePayment(
  viewer: Viewer,
  payment: { studentId: string } | undefined,
  argument: string,
): void {
  if (viewer.kind === 'anonymous') {
    throw createError('UNAUTHENTICATED', 'Sign in to see payments.');
  }
  if (hasRole(viewer, 'finance')) return;
  if (payment === undefined || !isPaymentOwner(viewer, payment)) {
    throw createError(
      'FORBIDDEN',
      `You may only see your own payments, and the "${argument}" you gave is not one of them.`,
      { argument },
    );
  }
}
