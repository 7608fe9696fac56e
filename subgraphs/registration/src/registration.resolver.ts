import {
  createError,
  hasRole,
  parseModuleCode,
  parsePageSize,
  parseUuid,
} from '@registrar/platform';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertCanReadStudentRegistrations, requireSession } from './registration-access.js';
import type { RegistrationContext } from './registration.context.js';
import type { RegistrationEntity } from './registration.entity.js';
import { toHistoryEntry, toRegistration } from './registration.mapper.js';
import { RegistrationStatus } from './registration-status.js';
import { registrationCursor } from './registration-store.js';
import {
  ModuleReference,
  Registration,
  RegistrationConnection,
  RegistrationFilter,
  RegistrationHistoryEntry,
  StudentReference,
  OverridableRuleValue,
  SagaStepEntry,
} from './registration.types.js';

/** Registrations: a student's own, and every one for staff. */
@Resolver(() => Registration)
export class RegistrationResolver {
  @Query(() => Registration, {
    nullable: true,
    description: 'One registration: your own, or any for staff.',
  })
  async registration(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RegistrationContext,
  ): Promise<Registration> {
    return loadRegistration(parseUuid(id, 'id'), context);
  }

  @Query(() => [Registration], {
    description: "The signed-in student's registrations, oldest first.",
  })
  async myRegistrations(
    @Ctx() context: RegistrationContext,
    @Arg('term', () => String, { nullable: true }) term?: string | null,
  ): Promise<Registration[]> {
    requireSession(context.viewer);
    const studentId = context.viewer.studentId;
    if (!studentId) {
      throw createError(
        'FORBIDDEN',
        'Only students have registrations of their own. Staff can use "registrations".',
      );
    }
    const rows = await context.registrationsByStudent.load(studentId);
    return rows.filter((row) => !term || row.term === term).map(toRegistration);
  }

  @Query(() => RegistrationConnection, {
    description: 'Every registration, newest first (staff only).',
  })
  async registrations(
    @Ctx() context: RegistrationContext,
    @Arg('filter', () => RegistrationFilter, { nullable: true }) filter?: RegistrationFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<RegistrationConnection> {
    // Staff only: the supergraph's permissions (Query.registrations) refuse everyone else.
    const query = {
      ...filter,
      studentId: filter?.studentId ? parseUuid(filter.studentId, 'filter.studentId') : null,
    };
    const page = await context.store.findPage(query, parsePageSize(first), after);
    const edges = page.rows.map((row) => ({
      cursor: registrationCursor(row),
      node: toRegistration(row),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @Mutation(() => Registration, {
    description:
      'Asks for a seat on a module. Answers at once with a PENDING registration; its status then moves on (seat reserved or waitlisted, payment, confirmation).',
  })
  async registerForModule(
    @Arg('moduleCode', () => String) moduleCode: string,
    @Ctx() context: RegistrationContext,
    @Arg('studentId', () => ID, {
      nullable: true,
      description: 'Staff only: register this student instead of yourself.',
    })
    studentId?: string | null,
    @Arg('overrides', () => [OverridableRuleValue], {
      nullable: true,
      description: 'Staff only: rules to waive for this one registration.',
    })
    overrides?: OverridableRuleValue[] | null,
    @Arg('overrideReason', () => String, {
      nullable: true,
      description: 'Staff only: why the rules are waived (kept in the history).',
    })
    overrideReason?: string | null,
  ): Promise<Registration> {
    requireSession(context.viewer);
    const code = parseModuleCode(moduleCode, 'moduleCode');
    const onBehalf = studentId ? parseUuid(studentId, 'studentId', 'student id') : undefined;
    const waived = overrides ?? [];
    if ((onBehalf || waived.length > 0) && !hasRole(context.viewer, 'staff', 'admin')) {
      throw createError(
        'FORBIDDEN',
        'Only registry staff can register another student or waive a rule.',
      );
    }
    if (waived.length > 0 && (overrideReason?.trim().length ?? 0) < 10) {
      throw createError(
        'BAD_USER_INPUT',
        'Say why the rules are waived in "overrideReason" (at least 10 characters); it is kept in the history.',
        {
          argument: 'overrideReason',
        },
      );
    }
    const target = onBehalf ?? context.viewer.studentId;
    if (!target) {
      throw createError(
        'FORBIDDEN',
        'Only students register for themselves; staff name the student with "studentId".',
      );
    }
    const actor = onBehalf
      ? { kind: 'staff' as const, id: context.viewer.subject }
      : { kind: 'student' as const, id: target };
    const row = await context.commands.register(
      target,
      code,
      actor,
      { correlationId: context.requestId },
      waived.length ? { rules: waived, reason: overrideReason!.trim().slice(0, 500) } : undefined,
    );
    return toRegistration(row);
  }

  @Mutation(() => Registration, {
    description:
      'Leaves a module (or withdraws a request not yet confirmed); the seat is released.',
  })
  async dropModule(
    @Arg('registrationId', () => ID) registrationId: string,
    @Ctx() context: RegistrationContext,
  ): Promise<Registration> {
    requireSession(context.viewer);
    const id = parseUuid(registrationId, 'registrationId', 'registration id');
    const row = await loadRegistrationRow(id, 'registrationId', context);
    const staff = hasRole(context.viewer, 'staff', 'admin');
    const actorId = staff ? context.viewer.subject : row.studentId;
    const dropped = await context.commands.drop(
      row,
      {
        kind: staff && context.viewer.studentId !== row.studentId ? 'staff' : 'student',
        id: actorId,
      },
      { correlationId: context.requestId },
    );
    return toRegistration(dropped);
  }

  @FieldResolver(() => StudentReference, { description: 'The student registered.' })
  student(@Root() registration: Registration): StudentReference {
    return { id: registration.studentId };
  }

  @FieldResolver(() => ModuleReference, { description: 'The module registered for.' })
  module(@Root() registration: Registration): ModuleReference {
    return { code: registration.moduleCode };
  }

  @FieldResolver(() => [SagaStepEntry], {
    description: 'Staff only: every step the saga took, to see why a registration is stuck.',
  })
  async sagaSteps(
    @Root() registration: Registration,
    @Ctx() context: RegistrationContext,
  ): Promise<SagaStepEntry[]> {
    return context.sagaStepsByRegistration.load(registration.id);
  }

  @FieldResolver(() => [RegistrationHistoryEntry], {
    description: 'Every status change, oldest first.',
  })
  async history(
    @Root() registration: Registration,
    @Ctx() context: RegistrationContext,
  ): Promise<RegistrationHistoryEntry[]> {
    return (await context.historyByRegistration.load(registration.id)).map(toHistoryEntry);
  }
}

/** Adds `registrations` to the Student entity. */
@Resolver(() => StudentReference)
export class StudentRegistrationsResolver {
  @FieldResolver(() => [Registration], {
    description: "The student's registrations, oldest first.",
  })
  async registrations(
    @Root() student: StudentReference,
    @Ctx() context: RegistrationContext,
    @Arg('status', () => [RegistrationStatus], { nullable: true })
    status?: RegistrationStatus[] | null,
  ): Promise<Registration[]> {
    assertCanReadStudentRegistrations(context.viewer, student.id);
    const rows = await context.registrationsByStudent.load(student.id);
    return rows.filter((row) => !status?.length || status.includes(row.status)).map(toRegistration);
  }
}

/** Adds the public waitlist length, and `registrations` for staff, to the Module entity. */
@Resolver(() => ModuleReference)
export class ModuleRegistrationsResolver {
  @FieldResolver(() => Int, {
    description: 'How many students wait for a seat; public, as it holds no personal data.',
  })
  waitlistLength(
    @Root() module: ModuleReference,
    @Ctx() context: RegistrationContext,
  ): Promise<number> {
    return context.waitlistLengthByModule.load(module.code);
  }

  @FieldResolver(() => [Registration], {
    description: "The module's registrations, oldest first (staff only).",
  })
  async registrations(
    @Root() module: ModuleReference,
    @Ctx() context: RegistrationContext,
    @Arg('status', () => [RegistrationStatus], { nullable: true })
    status?: RegistrationStatus[] | null,
  ): Promise<Registration[]> {
    // Staff only: the supergraph's permissions (Module.registrations) refuse everyone else.
    const rows = await context.registrationsByModule.load(module.code);
    return rows.filter((row) => !status?.length || status.includes(row.status)).map(toRegistration);
  }
}

/**
 * Loads a registration the viewer may read.
 * @throws NOT_FOUND when absent, FORBIDDEN when it is another student's.
 */
export async function loadRegistration(
  id: string,
  context: RegistrationContext,
): Promise<Registration> {
  return toRegistration(await loadRegistrationRow(id, 'id', context));
}

// The one way to fetch a registration on a caller's behalf: unknown ids and other students'
// registrations are refused the same way wherever they are asked for.
async function loadRegistrationRow(
  id: string,
  argument: string,
  context: RegistrationContext,
): Promise<RegistrationEntity> {
  requireSession(context.viewer);
  const row = await context.registrationById.load(id);
  if (!row) {
    throw createError(
      'NOT_FOUND',
      `No registration has the id ${id}. Check the id, or list your registrations.`,
      { argument },
    );
  }
  assertCanReadStudentRegistrations(context.viewer, row.studentId);
  return row;
}
