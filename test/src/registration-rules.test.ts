import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoStudents } from '@registrar/platform';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

const REGISTER = `mutation ($code: String!, $studentId: ID, $overrides: [OverridableRule!], $why: String) {
  registerForModule(moduleCode: $code, studentId: $studentId, overrides: $overrides, overrideReason: $why) {
    id status history { to reason actor }
  }
}`;
const DROP = `mutation ($id: ID!) { dropModule(registrationId: $id) { status } }`;
const HOLD = `mutation ($id: ID!) { placeStudentHold(studentId: $id, kind: ADMINISTRATIVE, reason: "Missing documents") }`;
const RELEASE = `mutation ($id: ID!) { releaseStudentHolds(studentId: $id, kind: ADMINISTRATIVE) }`;

describe('registration rules', () => {
  let t: TestSystem;
  let staff: string;
  const students = demoStudents();
  const asStudent = (index: number) => {
    const s = students[index]!;
    return t.signIn({ subject: s.studentNumber, roles: ['student'], studentId: s.id });
  };
  const violations = (response: any) =>
    (response.errors?.[0]?.extensions?.violations ?? [])
      .map((v: { rule: string }) => v.rule)
      .sort();

  before(async () => {
    // s0001 holds 30 credits (COMP1001, PHYS1001); a cap of 40 leaves no room for 15 more.
    t = await startTestSystem({ REGISTRATION_CREDIT_CAP: '40' });
    staff = await t.signIn({ subject: 'staff1', roles: ['staff'] });
  });
  after(() => t.stop());

  test('every failing rule is reported at once, each with its code and a sentence', async () => {
    // MATH1002 shares a weekly slot with one of s0001's confirmed modules.
    const response = await t.graphql(REGISTER, { code: 'MATH1002' }, await asStudent(0));
    assert.equal(response.errors?.[0]?.extensions?.['code'], 'CONFLICT');
    assert.deepEqual(violations(response), ['CREDIT_CAP_EXCEEDED', 'TIMETABLE_CLASH']);
    const messages = response.errors![0]!.extensions!['violations'] as Array<{ message: string }>;
    assert.ok(messages.some((v) => /clashes with (COMP1001|PHYS1001)/.test(v.message)));
    assert.ok(messages.some((v) => /45 credits this term; the limit is 40/.test(v.message)));
  });

  test('a hold and a missing prerequisite are both named, and the hold can be lifted', async () => {
    const student = students[186]!; // s0187, year 1: has passed nothing yet
    await t.graphql(HOLD, { id: student.id }, staff);
    try {
      const response = await t.graphql(REGISTER, { code: 'MATH2001' }, await asStudent(186));
      assert.deepEqual(violations(response), ['PREREQUISITE_MISSING', 'STUDENT_HOLD']);
      assert.match(response.errors![0]!.message, /MATH1001/);
    } finally {
      const released = await t.graphql(RELEASE, { id: student.id }, staff);
      assert.ok(released.data!['releaseStudentHolds'] >= 1);
    }
    const after = await t.graphql(REGISTER, { code: 'MATH2001' }, await asStudent(186));
    assert.deepEqual(violations(after), ['PREREQUISITE_MISSING']);
  });

  test('a student who passed the prerequisite may register', async () => {
    const token = await asStudent(187); // s0188, year 2: passed every department's first module
    const response = await t.graphql(REGISTER, { code: 'MATH2001' }, token);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    await t.graphql(DROP, { id: response.data!['registerForModule'].id }, token);
  });

  test('staff waive a prerequisite for one student, and the history records who and why', async () => {
    const student = students[186]!;
    const response = await t.graphql(
      REGISTER,
      {
        code: 'MATH2001',
        studentId: student.id,
        overrides: ['PREREQUISITE'],
        why: 'Equivalent module taken abroad.',
      },
      staff,
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const registration = response.data!['registerForModule'];
    assert.equal(registration.history[0].actor, 'staff');
    assert.match(
      registration.history[0].reason,
      /Staff overrode PREREQUISITE: Equivalent module taken abroad\./,
    );
    await t.graphql(DROP, { id: registration.id }, staff);
  });

  test('a waiver without a reason, or by a student, is refused', async () => {
    const noReason = await t.graphql(
      REGISTER,
      { code: 'MATH2001', studentId: students[186]!.id, overrides: ['PREREQUISITE'] },
      staff,
    );
    assert.deepEqual(
      [noReason.errors?.[0]?.extensions?.['code'], noReason.errors?.[0]?.extensions?.['argument']],
      ['BAD_USER_INPUT', 'overrideReason'],
    );
    const byStudent = await t.graphql(
      REGISTER,
      { code: 'MATH2001', overrides: ['PREREQUISITE'], why: 'I think I know it.' },
      await asStudent(186),
    );
    assert.equal(byStudent.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
  });
});
