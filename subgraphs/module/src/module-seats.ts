import { queryRows } from '@registrar/platform';
import type { EntityManager } from 'typeorm';

/** A module's seats and fee, as a seat change leaves them. */
export interface SeatCounts {
  code: string;
  capacity: number;
  seatsTaken: number;
  feeAmount: number;
  currency: string;
}

const SEAT_COLUMNS = `code, capacity, seats_taken AS "seatsTaken", fee_amount AS "feeAmount",
  fee_currency AS "currency"`;

/** Seats still free; never negative. */
export function freeSeatsOf(counts: SeatCounts): number {
  return Math.max(0, counts.capacity - counts.seatsTaken);
}

/**
 * Takes `count` seats of a module in one conditional update, so that two commands can never both
 * take the last seat: PostgreSQL re-checks the condition on the row a concurrent update left.
 * Returns the counts after, or `undefined` when the module lacks the seats or does not exist.
 */
export async function takeSeats(
  manager: EntityManager,
  code: string,
  count = 1,
): Promise<SeatCounts | undefined> {
  const [row] = await queryRows<SeatCounts>(
    manager,
    `UPDATE modules SET seats_taken = seats_taken + $2, updated_at = now()
     WHERE code = $1 AND seats_taken + $2 <= capacity
     RETURNING ${SEAT_COLUMNS}`,
    [code, count],
  );
  return row;
}

/**
 * Takes a seat for a staff override: when the module is full its capacity grows by one in the
 * same statement, so `seats_taken <= capacity` still holds. Returns `undefined` for an unknown
 * module.
 */
export async function takeSeatOverCapacity(
  manager: EntityManager,
  code: string,
): Promise<SeatCounts | undefined> {
  // Every right-hand side reads the row as it was, so capacity grows only when no seat was free.
  const [row] = await queryRows<SeatCounts>(
    manager,
    `UPDATE modules SET seats_taken = seats_taken + 1,
       capacity = GREATEST(capacity, seats_taken + 1), updated_at = now()
     WHERE code = $1
     RETURNING ${SEAT_COLUMNS}`,
    [code],
  );
  return row;
}

/** Gives one seat back; `undefined` when the module counts no seat taken (or does not exist). */
export async function returnSeat(
  manager: EntityManager,
  code: string,
): Promise<SeatCounts | undefined> {
  const [row] = await queryRows<SeatCounts>(
    manager,
    `UPDATE modules SET seats_taken = seats_taken - 1, updated_at = now()
     WHERE code = $1 AND seats_taken > 0
     RETURNING ${SEAT_COLUMNS}`,
    [code],
  );
  return row;
}

/**
 * Locks a module's row until the transaction ends and returns its counts; `undefined` when it
 * does not exist. Waitlist joins and capacity changes take this lock so that they see every
 * seat change committed before them and none while they decide.
 */
export async function lockSeats(
  manager: EntityManager,
  code: string,
): Promise<SeatCounts | undefined> {
  const [row] = await queryRows<SeatCounts>(
    manager,
    `SELECT ${SEAT_COLUMNS} FROM modules WHERE code = $1 FOR UPDATE`,
    [code],
  );
  return row;
}

/**
 * Sets a module's capacity, on condition that it still covers the seats taken (the table's CHECK
 * would refuse it anyway; the condition turns that into "no row" instead of an error).
 */
export async function setCapacity(
  manager: EntityManager,
  code: string,
  capacity: number,
): Promise<SeatCounts | undefined> {
  const [row] = await queryRows<SeatCounts>(
    manager,
    `UPDATE modules SET capacity = $2, updated_at = now()
     WHERE code = $1 AND seats_taken <= $2
     RETURNING ${SEAT_COLUMNS}`,
    [code, capacity],
  );
  return row;
}
