import { createError, invariant, isUuid, parsePageSize } from '@registrar/platform';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { assertCanReadStudent, assertRegistryStaff, requireSignedIn } from './student.access.js';
import { parseSearch, parseStudentId, parseStudentNumber } from './student-input.js';
import { studentCursor } from './student-directory.js';
import type { StudentContext } from './student.context.js';
import { toStudent } from './student.mapper.js';
import { Student, StudentConnection } from './student.types.js';

/** Student records: a student sees their own, registry staff see everyone's. */
@Resolver(() => Student)
export class StudentResolver {
  @Query(() => Student, {
    nullable: true,
    description:
      "The signed-in student's own record; null for a signed-in user who is not a student.",
  })
  async me(@Ctx() context: StudentContext): Promise<Student | null> {
    const { viewer } = context;
    if (viewer.kind === 'anonymous') {
      throw createError('UNAUTHENTICATED', 'Sign in as a student to see your own record.');
    }
    if (viewer.studentId === undefined) return null;
    // The id comes from the gateway's signed identity, not from the caller: a malformed one is
    // a bug on our side, reported as an internal error rather than as the caller's mistake.
    invariant(isUuid(viewer.studentId), 'the identity token carries a malformed student id');

    const row = await context.studentById.load(viewer.studentId);
    return row ? toStudent(row, viewer) : null;
  }

  @Query(() => Student, {
    nullable: true,
    description: 'One student by id: your own record, or anyone for registry staff.',
  })
  async student(@Arg('id', () => ID) id: string, @Ctx() context: StudentContext): Promise<Student> {
    const studentId = parseStudentId(id, 'id');
    assertCanReadStudent(context.viewer, studentId, 'id');

    const row = await context.studentById.load(studentId);
    if (!row) {
      throw createError('NOT_FOUND', `No student has the id ${studentId}. Check the "id".`, {
        argument: 'id',
      });
    }
    return toStudent(row, context.viewer);
  }

  @Query(() => Student, {
    nullable: true,
    description: 'One student by student number (s0001): your own, or anyone for registry staff.',
  })
  async studentByNumber(
    @Arg('studentNumber') studentNumber: string,
    @Ctx() context: StudentContext,
  ): Promise<Student> {
    const normalised = parseStudentNumber(studentNumber, 'studentNumber');
    requireSignedIn(context.viewer, 'student records');
    const row = await context.directory.findByNumber(normalised);
    assertCanReadStudent(context.viewer, row?.id, 'studentNumber');

    if (!row) {
      throw createError(
        'NOT_FOUND',
        `No student has the number ${normalised}. Check the "studentNumber".`,
        { argument: 'studentNumber' },
      );
    }
    return toStudent(row, context.viewer);
  }

  @Query(() => StudentConnection, {
    description: 'Students by number or name, ordered by student number; registry staff only.',
  })
  async students(
    @Ctx() context: StudentContext,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Text in the student number or name (up to 100 characters).',
    })
    search?: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
    first?: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The endCursor of the previous page.',
    })
    after?: string | null,
  ): Promise<StudentConnection> {
    assertRegistryStaff(context.viewer, 'the list of students');
    const text = parseSearch(search, 'search');
    const size = parsePageSize(first);

    const page = await context.directory.findPage(text, size, after);
    const edges = page.rows.map((row) => ({
      cursor: studentCursor(row),
      node: toStudent(row, context.viewer),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }
}
