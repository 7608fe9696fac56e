import { createError, hasRole } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';

/** Tells whether the viewer may read the registrations of the student with this id. */
export function canReadStudentRegistrations(viewer: Viewer, studentId: string): boolean {
  if (viewer.kind !== 'user') return false;
  return viewer.studentId === studentId || hasRole(viewer, 'staff', 'admin', 'finance');
}

/**
 * Refuses unless the viewer may read this student's registrations.
 * @throws UNAUTHENTICATED without a session, FORBIDDEN for another student's data.
 */
export function assertCanReadStudentRegistrations(viewer: Viewer, studentId: string): void {
  requireSession(viewer);
  if (!canReadStudentRegistrations(viewer, studentId)) {
    throw createError(
      'FORBIDDEN',
      "You can see only your own registrations. Sign in with the student's own account.",
    );
  }
}

/** @throws UNAUTHENTICATED when the request has no session. */
export function requireSession(
  viewer: Viewer,
): asserts viewer is Extract<Viewer, { kind: 'user' }> {
  if (viewer.kind !== 'user') {
    throw createError('UNAUTHENTICATED', 'Sign in to see registrations.');
  }
}
