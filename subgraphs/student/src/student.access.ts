import { createError, hasRole } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';

// TODO: these rules move into the RBAC layer when it lands; until then every check on student
// records goes through this file, so that the policy can be read (and replaced) in one place.

/** Tells whether the viewer is the student with this id. */
export function isSelf(viewer: Viewer, studentId: string): boolean {
  return viewer.kind === 'user' && viewer.studentId === studentId;
}

/** Tells whether the viewer works in the registry (staff or admin) and may see every record. */
export function isRegistryStaff(viewer: Viewer): boolean {
  return hasRole(viewer, 'staff', 'admin');
}

/**
 * Tells whether the viewer may see a student's personal data (e-mail, date of birth): only the
 * student themself, or staff and admins. Everyone else sees null in those fields.
 */
export function canSeePersonalData(viewer: Viewer, studentId: string): boolean {
  return isSelf(viewer, studentId) || isRegistryStaff(viewer);
}

/**
 * Requires a signed-in viewer.
 * @throws UNAUTHENTICATED naming what the caller tried to see.
 */
export function requireSignedIn(viewer: Viewer, what: string): void {
  if (viewer.kind === 'anonymous') {
    throw createError('UNAUTHENTICATED', `Sign in to see ${what}.`);
  }
}

/**
 * Requires that the viewer may look up the record of the student with this id (`undefined` when
 * no record matched): their own, or any record for registry staff. A student asking for anyone
 * else's record, or for one that does not exist, gets the same answer, so that the error never
 * reveals whether someone else's record exists.
 * @throws UNAUTHENTICATED for anonymous callers, FORBIDDEN for anyone else without the right.
 */
export function assertCanReadStudent(
  viewer: Viewer,
  studentId: string | undefined,
  argument: string,
): void {
  requireSignedIn(viewer, 'student records');
  if (isRegistryStaff(viewer)) return;
  if (studentId === undefined || !isSelf(viewer, studentId)) {
    throw createError(
      'FORBIDDEN',
      `You may only look up your own student record, and the "${argument}" you gave is not yours.`,
      { argument },
    );
  }
}

/**
 * Requires registry staff, for lists and searches across all students.
 * @throws UNAUTHENTICATED for anonymous callers, FORBIDDEN for anyone but staff and admins.
 */
export function assertRegistryStaff(viewer: Viewer, what: string): void {
  requireSignedIn(viewer, what);
  if (!isRegistryStaff(viewer)) {
    throw createError(
      'FORBIDDEN',
      `Only registry staff may see ${what}. Ask the registry office if you need this information.`,
    );
  }
}
