import { DEMO_TERM, demoRegistrations } from '@registrar/platform';
import type { DataSource } from 'typeorm';

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
