import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildStudentSeedRecords } from './student.seed.js';
import { STUDENT_NUMBER_PATTERN } from './student-input.js';

describe('buildStudentSeedRecords', () => {
  const records = buildStudentSeedRecords();

  test('holds the 200 demo students, s0001 to s0200', () => {
    assert.equal(records.length, 200);
    assert.equal(records[0]?.student_number, 's0001');
    assert.equal(records[199]?.student_number, 's0200');
  });

  test('ids, numbers and e-mail addresses are unique', () => {
    assert.equal(new Set(records.map((r) => r.id)).size, 200);
    assert.equal(new Set(records.map((r) => r.student_number)).size, 200);
    assert.equal(new Set(records.map((r) => r.email.toLowerCase())).size, 200);
  });

  test('every record satisfies the table constraints', () => {
    for (const record of records) {
      assert.match(record.student_number, STUDENT_NUMBER_PATTERN);
      assert.match(record.date_of_birth, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(record.year_of_study >= 1 && record.year_of_study <= 7);
      assert.equal(record.status, 'ACTIVE');
    }
  });

  test('is the same on every start', () => {
    assert.deepEqual(buildStudentSeedRecords(), records);
  });
});
