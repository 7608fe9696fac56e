import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANONYMOUS } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import type { StudentEntity } from './student.entity.js';
import { toStudent } from './student.mapper.js';
import { StudentStatus } from './student.types.js';

const ROW: StudentEntity = {
  id: '11111111-1111-5111-8111-111111111111',
  studentNumber: 's0001',
  givenName: 'Amara',
  familyName: 'Okafor',
  email: 's0001@students.registrar.test',
  dateOfBirth: '2000-01-01',
  programme: 'BSc Computer Science',
  yearOfStudy: 2,
  status: 'ACTIVE',
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

const self: Viewer = {
  kind: 'user',
  subject: 'u',
  roles: ['student'],
  sessionId: 's',
  studentId: ROW.id,
};
const otherStudent: Viewer = { ...self, studentId: '22222222-2222-5222-8222-222222222222' };

describe('toStudent', () => {
  test('joins the names and keeps the public fields', () => {
    const student = toStudent(ROW, ANONYMOUS);
    assert.equal(student.name, 'Amara Okafor');
    assert.equal(student.studentNumber, 's0001');
    assert.equal(student.programme, 'BSc Computer Science');
    assert.equal(student.yearOfStudy, 2);
    assert.equal(student.status, StudentStatus.ACTIVE);
  });

  test('the student themself sees their e-mail and date of birth', () => {
    const student = toStudent(ROW, self);
    assert.equal(student.email, ROW.email);
    assert.equal(student.dateOfBirth, '2000-01-01');
  });

  test('another student sees null in the personal fields', () => {
    const student = toStudent(ROW, otherStudent);
    assert.equal(student.email, null);
    assert.equal(student.dateOfBirth, null);
  });

  test('an anonymous caller sees null in the personal fields', () => {
    const student = toStudent(ROW, ANONYMOUS);
    assert.equal(student.email, null);
    assert.equal(student.dateOfBirth, null);
  });
});
