import { randomUUID } from 'node:crypto';
import { createError, hasRole, parseUuid } from '@registrar/platform';
import { Arg, Ctx, ID, Int, Mutation, Resolver, registerEnumType } from 'type-graphql';
import { requireSession } from './registration-access.js';
import type { RegistrationContext } from './registration.context.js';

/** Why a student may not register until the hold is released. */
export enum HoldKind {
  UNPAID_FEES = 'UNPAID_FEES',
  ADMINISTRATIVE = 'ADMINISTRATIVE',
}

registerEnumType(HoldKind, {
  name: 'HoldKind',
  description: 'Why a student may not register until the hold is released.',
});

/** Holds on students: finance places fee holds, registry staff administrative ones. */
@Resolver()
export class StudentHoldsResolver {
  @Mutation(() => Boolean, {
    description: 'Stops a student registering until the hold is released.',
  })
  async placeStudentHold(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('kind', () => HoldKind) kind: HoldKind,
    @Arg('reason', () => String) reason: string,
    @Ctx() context: RegistrationContext,
  ): Promise<boolean> {
    const actor = assertMayManage(context, kind);
    if (reason.trim().length < 5 || reason.length > 500) {
      throw createError('BAD_USER_INPUT', '"reason" must say why, in 5 to 500 characters.', {
        argument: 'reason',
      });
    }
    await context.store.dataSource.query(
      `INSERT INTO student_holds (id, student_id, kind, reason, placed_by) VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), parseUuid(studentId, 'studentId', 'student id'), kind, reason.trim(), actor],
    );
    return true;
  }

  @Mutation(() => Int, { description: "Releases a student's holds of one kind; returns how many." })
  async releaseStudentHolds(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('kind', () => HoldKind) kind: HoldKind,
    @Ctx() context: RegistrationContext,
  ): Promise<number> {
    assertMayManage(context, kind);
    const [, released] = (await context.store.dataSource.query(
      `UPDATE student_holds SET released_at = now() WHERE student_id = $1 AND kind = $2 AND released_at IS NULL`,
      [parseUuid(studentId, 'studentId', 'student id'), kind],
    )) as [unknown, number];
    return released;
  }
}

function assertMayManage(context: RegistrationContext, kind: HoldKind): string {
  requireSession(context.viewer);
  const allowed =
    kind === HoldKind.UNPAID_FEES
      ? hasRole(context.viewer, 'finance', 'admin')
      : hasRole(context.viewer, 'staff', 'admin');
  if (!allowed) {
    throw createError(
      'FORBIDDEN',
      kind === HoldKind.UNPAID_FEES
        ? 'Only the finance office manages fee holds.'
        : 'Only registry staff manage administrative holds.',
    );
  }
  return `${context.viewer.roles[0]}:${context.viewer.subject}`;
}
