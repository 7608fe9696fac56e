import { invariant, isUuid, queryRows } from '@registrar/platform';
import type { EventPayload } from '@registrar/events';
import type { EntityManager } from 'typeorm';
import {
  appendAvailability,
  appendAvailabilityChange,
  appendModuleEvent,
} from './module-events.js';
import type { EventLineage } from './module-events.js';
import {
  lockSeats,
  returnSeat,
  setCapacity,
  takeSeatOverCapacity,
  takeSeats,
} from './module-seats.js';
import type { SeatCounts } from './module-seats.js';
import { SeatCommandError } from './seat-command-error.js';
import { joinWaitlist, promoteWaitlisted } from './waitlist.js';

/**
 * Handles ReserveSeat inside the caller's transaction: a seat when one is free (or a staff
 * override), else a place on the waitlist, else (unknown module) a refusal; each outcome is
 * appended to the outbox as the answer. A registration that already holds, held or waits for a
 * seat changes nothing, so a repeated request (the saga asking again) is harmless.
 *
 * @throws SeatCommandError SEAT_COMMAND_INVALID (not retryable) for an id that is not a UUID.
 */
export async function reserveSeat(
  manager: EntityManager,
  command: EventPayload<'ReserveSeat'>,
  lineage: EventLineage,
): Promise<void> {
  await lockRegistration(manager, command.registrationId);
  if (await isKnownRegistration(manager, command.registrationId)) return;

  const taken = command.overrideCapacity
    ? await takeSeatOverCapacity(manager, command.moduleCode)
    : await takeSeats(manager, command.moduleCode);
  if (taken) return holdSeat(manager, command, taken, lineage);

  // No seat: either the module is full or it does not exist. The lock also waits out a release
  // that committed after the update above, whose seat would otherwise be left free.
  const counts = await lockSeats(manager, command.moduleCode);
  if (!counts) {
    return appendModuleEvent(
      manager,
      'SeatRefused',
      {
        registrationId: command.registrationId,
        moduleCode: command.moduleCode,
        reason: `No module has the code ${command.moduleCode}.`,
      },
      lineage,
    );
  }
  const freed = counts.seatsTaken < counts.capacity && (await takeSeats(manager, counts.code));
  if (freed) return holdSeat(manager, command, freed, lineage);

  const position = await joinWaitlist(manager, command);
  await appendModuleEvent(
    manager,
    'SeatWaitlisted',
    { registrationId: command.registrationId, moduleCode: counts.code, position },
    lineage,
  );
}

/**
 * Handles ReleaseSeat inside the caller's transaction. A held seat is given back and goes at once
 * to the student waiting longest; a place on the waitlist is given up. Either way SeatReleased is
 * the answer. A registration this service has never seen leaves a released tombstone and no
 * answer, so that a reservation arriving after its release never takes a seat.
 *
 * @throws SeatCommandError SEAT_COMMAND_INVALID for an id that is not a UUID, or
 * SEAT_LEDGER_INCONSISTENT when the module counts no seat for a held one (neither retryable).
 */
export async function releaseSeat(
  manager: EntityManager,
  command: EventPayload<'ReleaseSeat'>,
  lineage: EventLineage,
): Promise<void> {
  const { registrationId } = command;
  await lockRegistration(manager, registrationId);

  const [hold] = await queryRows<{ moduleCode: string }>(
    manager,
    `UPDATE seat_holds SET status = 'RELEASED', released_at = now()
     WHERE registration_id = $1 AND status = 'HELD' RETURNING module_code AS "moduleCode"`,
    [registrationId],
  );
  if (hold) return giveBackSeat(manager, registrationId, hold.moduleCode, lineage);

  const [left] = await queryRows<{ moduleCode: string }>(
    manager,
    `UPDATE waitlist SET status = 'REMOVED', left_at = now()
     WHERE registration_id = $1 AND status = 'WAITING' RETURNING module_code AS "moduleCode"`,
    [registrationId],
  );
  if (left) {
    return appendModuleEvent(
      manager,
      'SeatReleased',
      { registrationId, moduleCode: left.moduleCode },
      lineage,
    );
  }

  await manager.query(
    `INSERT INTO seat_holds (registration_id, module_code, student_id, status, released_at)
     SELECT $1, $2, NULL, 'RELEASED', now()
     WHERE NOT EXISTS (SELECT 1 FROM waitlist WHERE registration_id = $1)
     ON CONFLICT (registration_id) DO NOTHING`,
    [registrationId, command.moduleCode],
  );
}

/** What a capacity change came to. */
export type CapacityChange =
  | { outcome: 'changed'; counts: SeatCounts; promoted: number }
  | { outcome: 'unknown-module' }
  | { outcome: 'below-seats-taken'; seatsTaken: number };

/**
 * Sets a module's capacity inside the caller's transaction. New seats go at once to the students
 * waiting longest (each promotion appends SeatReserved), and SeatAvailabilityChanged announces
 * the result. A capacity below the seats already taken is refused, not clamped.
 */
export async function changeCapacity(
  manager: EntityManager,
  code: string,
  capacity: number,
  lineage: EventLineage,
): Promise<CapacityChange> {
  const before = await lockSeats(manager, code);
  if (!before) return { outcome: 'unknown-module' };
  if (capacity < before.seatsTaken) {
    return { outcome: 'below-seats-taken', seatsTaken: before.seatsTaken };
  }

  const resized = await setCapacity(manager, code, capacity);
  invariant(resized, 'the seats taken cannot change while the module row is locked');
  const after = await promoteWaitlisted(manager, resized, lineage);
  await appendAvailabilityChange(manager, before, after, lineage);
  return { outcome: 'changed', counts: after, promoted: after.seatsTaken - before.seatsTaken };
}

async function holdSeat(
  manager: EntityManager,
  command: EventPayload<'ReserveSeat'>,
  after: SeatCounts,
  lineage: EventLineage,
): Promise<void> {
  await manager.query(
    `INSERT INTO seat_holds (registration_id, module_code, student_id, status)
     VALUES ($1, $2, $3, 'HELD')`,
    [command.registrationId, after.code, command.studentId],
  );
  await appendModuleEvent(
    manager,
    'SeatReserved',
    {
      registrationId: command.registrationId,
      moduleCode: after.code,
      feeAmount: after.feeAmount,
      currency: after.currency,
      fromWaitlist: false,
    },
    lineage,
  );
  // A seat taken always changes the module: one seat fewer free or, for an override on a full
  // module, one seat more capacity.
  await appendAvailability(manager, after, lineage);
}

async function giveBackSeat(
  manager: EntityManager,
  registrationId: string,
  moduleCode: string,
  lineage: EventLineage,
): Promise<void> {
  const returned = await returnSeat(manager, moduleCode);
  if (!returned) {
    throw new SeatCommandError(
      'SEAT_LEDGER_INCONSISTENT',
      'A held seat was released, but its module counts no seat taken.',
    );
  }
  await appendModuleEvent(manager, 'SeatReleased', { registrationId, moduleCode }, lineage);

  const before = { ...returned, seatsTaken: returned.seatsTaken + 1 };
  const after = await promoteWaitlisted(manager, returned, lineage);
  await appendAvailabilityChange(manager, before, after, lineage);
}

// Commands about one registration are serialised (until the transaction ends), so that two
// deliveries racing on different consumers cannot both find it unknown: one would take a seat
// while the other joined the waitlist. The lock key space is shared with nothing else here.
async function lockRegistration(manager: EntityManager, registrationId: string): Promise<void> {
  if (!isUuid(registrationId.toLowerCase())) {
    throw new SeatCommandError(
      'SEAT_COMMAND_INVALID',
      "The command's registrationId must be a UUID.",
    );
  }
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [registrationId]);
}

async function isKnownRegistration(
  manager: EntityManager,
  registrationId: string,
): Promise<boolean> {
  const rows = await queryRows(
    manager,
    `SELECT 1 FROM seat_holds WHERE registration_id = $1
     UNION ALL SELECT 1 FROM waitlist WHERE registration_id = $1`,
    [registrationId],
  );
  return rows.length > 0;
}
