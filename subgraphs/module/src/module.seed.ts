import { DEMO_TERM, demoModules, demoRegistrations } from '@registrar/platform';
import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;

/**
 * Seeds the demo catalogue once: existing modules are left as they are, so a second start keeps
 * whatever the demo changed. Seats taken match the demo's confirmed registrations, each of which
 * holds its seat in the ledger (so that dropping one gives the seat back). Returns how many rows
 * were inserted.
 */
export async function seedModules(dataSource: DataSource, now = new Date()): Promise<number> {
  const taken = new Map<string, number>();
  for (const registration of demoRegistrations()) {
    taken.set(registration.moduleCode, (taken.get(registration.moduleCode) ?? 0) + 1);
  }
  // The window opens a day before the first start and stays open for sixty days.
  const opensAt = new Date(now.getTime() - DAY_MS).toISOString();
  const closesAt = new Date(now.getTime() + 60 * DAY_MS).toISOString();
  const records = demoModules().map((m) => ({
    code: m.code,
    title: m.title,
    description: m.description,
    department: m.department,
    credits: m.credits,
    term: DEMO_TERM,
    capacity: m.capacity,
    seats_taken: taken.get(m.code) ?? 0,
    fee_amount: m.feeAmount,
    timetable: m.timetable,
    prerequisites: m.prerequisites,
    registration_opens_at: opensAt,
    registration_closes_at: closesAt,
  }));
  // One statement for the whole catalogue: the records travel as a single JSON parameter.
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO modules (code, title, description, department, credits, term, capacity,
       seats_taken, fee_amount, timetable, prerequisites, registration_opens_at,
       registration_closes_at)
     SELECT code, title, description, department, credits, term, capacity, seats_taken,
       fee_amount, timetable, prerequisites, registration_opens_at, registration_closes_at
     FROM jsonb_populate_recordset(NULL::modules, $1::jsonb)
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    [JSON.stringify(records)],
  );
  return inserted.length + (await seedSeatHolds(dataSource));
}

// A hold already there (held, or released by a drop) is kept: a restart must not undo the demo.
async function seedSeatHolds(dataSource: DataSource): Promise<number> {
  const holds = demoRegistrations().map((r) => ({
    registration_id: r.id,
    module_code: r.moduleCode,
    student_id: r.studentId,
  }));
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO seat_holds (registration_id, module_code, student_id, status)
     SELECT h.registration_id, h.module_code, h.student_id, 'HELD'
     FROM jsonb_to_recordset($1::jsonb)
       AS h(registration_id uuid, module_code varchar, student_id varchar)
     WHERE EXISTS (SELECT 1 FROM modules m WHERE m.code = h.module_code)
     ON CONFLICT (registration_id) DO NOTHING RETURNING registration_id`,
    [JSON.stringify(holds)],
  );
  return inserted.length;
}
