import { DEMO_TERM, demoModules, demoRegistrations, demoStudents } from '@registrar/platform';
import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;

/**
 * Seeds the Registration service's copy of the demo offerings once, with the same window as the
 * Module service's seed (open from a day before the first start, for sixty days).
 */
export async function seedOfferings(dataSource: DataSource, now = new Date()): Promise<number> {
  const records = demoModules().map((m) => ({
    code: m.code,
    term: DEMO_TERM,
    credits: m.credits,
    fee_amount: m.feeAmount,
    timetable: m.timetable,
    prerequisites: m.prerequisites,
    registration_opens_at: new Date(now.getTime() - DAY_MS).toISOString(),
    registration_closes_at: new Date(now.getTime() + 60 * DAY_MS).toISOString(),
  }));
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO module_offerings (code, term, credits, fee_amount, timetable, prerequisites,
       registration_opens_at, registration_closes_at)
     SELECT code, term, credits, fee_amount, timetable, prerequisites, registration_opens_at,
       registration_closes_at
     FROM jsonb_populate_recordset(NULL::module_offerings, $1::jsonb)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    [JSON.stringify(records)],
  );
  return inserted.length;
}

/**
 * Seeds the demo's confirmed registrations and their history once, in one transaction; rows that
 * exist already are kept. Returns how many registrations were inserted.
 */
export async function seedRegistrations(dataSource: DataSource): Promise<number> {
  const records = demoRegistrations().map((r) => ({
    id: r.id,
    student_id: r.studentId,
    module_code: r.moduleCode,
    term: DEMO_TERM,
    status: 'CONFIRMED',
    reason: null,
  }));
  return dataSource.transaction(async (manager) => {
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO registrations (id, student_id, module_code, term, status, reason)
       SELECT id, student_id, module_code, term, status, reason
       FROM jsonb_populate_recordset(NULL::registrations, $1::jsonb)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [JSON.stringify(records)],
    );
    if (inserted.length > 0) {
      await manager.query(
        `INSERT INTO registration_history (registration_id, from_status, to_status, reason, actor)
         SELECT id, NULL, 'PENDING', NULL, 'system' FROM unnest($1::uuid[]) AS id
         UNION ALL
         SELECT id, 'PENDING', 'CONFIRMED', 'Registered before the demo term opened.', 'system'
         FROM unnest($1::uuid[]) AS id`,
        [inserted.map((row) => row.id)],
      );
    }
    return inserted.length;
  });
}

/**
 * Seeds the modules demo students passed last year: everyone past the first year passed each
 * department's first module, which the demo's level-2 modules require. Returns rows inserted.
 */
export async function seedCompletedModules(dataSource: DataSource): Promise<number> {
  const entry = demoModules()
    .filter((m) => m.code.endsWith('1001'))
    .map((m) => m.code);
  const records = demoStudents()
    .filter((student) => student.yearOfStudy >= 2)
    .flatMap((student) =>
      entry.map((code) => ({
        student_id: student.id,
        module_code: code,
        term: 'AUTUMN-2025',
        passed: true,
      })),
    );
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO completed_modules (student_id, module_code, term, passed)
     SELECT student_id, module_code, term, passed
     FROM jsonb_populate_recordset(NULL::completed_modules, $1::jsonb)
     ON CONFLICT DO NOTHING RETURNING student_id`,
    [JSON.stringify(records)],
  );
  return inserted.length;
}
