import { queryRows } from '@registrar/platform';
import type { EntityManager } from 'typeorm';
import { appendModuleEvent } from './module-events.js';
import type { EventLineage } from './module-events.js';
import { freeSeatsOf, takeSeats } from './module-seats.js';
import type { SeatCounts } from './module-seats.js';
import { SeatCommandError } from './seat-command-error.js';

/** Who asks to wait for a seat. */
export interface WaitlistRequest {
  registrationId: string;
  studentId: string;
  moduleCode: string;
}

interface PromotedRow {
  id: string;
  registrationId: string;
  studentId: string;
}

/**
 * Puts a registration at the end of its module's waitlist and returns its position (1 = next to
 * get a seat). The caller must hold the module's row lock, so that joins of one module are
 * numbered one after another.
 */
export async function joinWaitlist(
  manager: EntityManager,
  request: WaitlistRequest,
): Promise<number> {
  // The statement's snapshot does not see its own insert: those ahead are the entries with a
  // lower id, and the new entry comes after them.
  const [row] = await queryRows<{ position: number }>(
    manager,
    `WITH joined AS (
       INSERT INTO waitlist (registration_id, module_code, student_id, status)
       VALUES ($1, $2, $3, 'WAITING') RETURNING id
     )
     SELECT (SELECT count(*) FROM waitlist w
             WHERE w.module_code = $2 AND w.status = 'WAITING' AND w.id < joined.id)::int + 1
       AS position
     FROM joined`,
    [request.registrationId, request.moduleCode, request.studentId],
  );
  return row!.position;
}

/**
 * Gives a module's free seats to the students waiting longest, in the order they joined, and
 * appends a SeatReserved (from the waitlist) for each. The caller must hold the module's row
 * lock, which makes `counts` current. Entries locked by another transaction (a student leaving
 * the waitlist right now) are skipped rather than waited for. Returns the counts after.
 */
export async function promoteWaitlisted(
  manager: EntityManager,
  counts: SeatCounts,
  lineage: EventLineage,
): Promise<SeatCounts> {
  const free = freeSeatsOf(counts);
  if (free === 0) return counts;

  const promoted = await queryRows<PromotedRow>(
    manager,
    `WITH next AS (
       SELECT id FROM waitlist WHERE module_code = $1 AND status = 'WAITING'
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
     )
     UPDATE waitlist w SET status = 'PROMOTED', left_at = now() FROM next WHERE w.id = next.id
     RETURNING w.id, w.registration_id AS "registrationId", w.student_id AS "studentId"`,
    [counts.code, free],
  );
  if (promoted.length === 0) return counts;

  const after = await takeSeats(manager, counts.code, promoted.length);
  if (!after) {
    // The module lock makes this unreachable; rolling back keeps seats and waitlist in step.
    throw new SeatCommandError(
      'SEAT_LEDGER_CONTENDED',
      'The free seats changed while waitlisted students were being promoted.',
    );
  }
  // RETURNING gives no order; the waitlist's order is the id's.
  promoted.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  await manager.query(
    `INSERT INTO seat_holds (registration_id, module_code, student_id, status)
     SELECT registration_id, $1, student_id, 'HELD'
     FROM unnest($2::uuid[], $3::varchar[]) AS promoted(registration_id, student_id)`,
    [counts.code, promoted.map((p) => p.registrationId), promoted.map((p) => p.studentId)],
  );
  for (const entry of promoted) {
    await appendModuleEvent(
      manager,
      'SeatReserved',
      {
        registrationId: entry.registrationId,
        moduleCode: counts.code,
        feeAmount: after.feeAmount,
        currency: after.currency,
        fromWaitlist: true,
      },
      lineage,
    );
  }
  return after;
}

/**
 * The current waitlist position of each registration that is waiting, in one query; the others
 * are absent from the map.
 */
export async function findWaitlistPositions(
  manager: EntityManager,
  registrationIds: readonly string[],
): Promise<Map<string, number>> {
  if (registrationIds.length === 0) return new Map();
  const rows = await queryRows<{ registrationId: string; position: number }>(
    manager,
    `SELECT w.registration_id AS "registrationId",
       (SELECT count(*) FROM waitlist ahead
        WHERE ahead.module_code = w.module_code AND ahead.status = 'WAITING'
          AND ahead.id <= w.id)::int AS position
     FROM waitlist w
     WHERE w.registration_id = ANY($1::uuid[]) AND w.status = 'WAITING'`,
    [[...registrationIds]],
  );
  return new Map(rows.map((row) => [row.registrationId, row.position]));
}
