import { appendToOutbox, createEvent } from '@registrar/events';
import type { EntityManager } from 'typeorm';
import type { RegistrationStatus } from './registration-status.js';

/** Who made a change, as recorded in the history. */
export interface Actor {
  kind: 'student' | 'staff' | 'system';
  /** A student or staff id; absent for the system. */
  id?: string;
}

/** Where a change comes from: the request or event it follows. */
export interface Lineage {
  correlationId: string;
  causationId?: string;
}

/** One status change asked of a registration. */
export interface Transition {
  registrationId: string;
  /** The statuses the change may start from; any other current status leaves it unchanged. */
  from: readonly RegistrationStatus[];
  to: RegistrationStatus;
  reason: string | null;
  actor: Actor;
  lineage: Lineage;
}

/**
 * Moves a registration to a new status if it is still in one of the expected ones, appending the
 * history entry and the RegistrationStatusChanged event in the caller's transaction. The status
 * condition in the UPDATE makes concurrent changes safe without locks: the second one finds the
 * status moved on and changes nothing. Returns the previous status, or undefined when unchanged.
 */
export async function transitionRegistration(
  manager: EntityManager,
  transition: Transition,
): Promise<RegistrationStatus | undefined> {
  // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
  const [rows]: [Array<{ previous: RegistrationStatus }>, number] = await manager.query(
    `UPDATE registrations r SET status = $1, reason = $2, updated_at = now()
     FROM (SELECT id, status AS previous FROM registrations WHERE id = $3 FOR UPDATE) old
     WHERE r.id = old.id AND old.previous = ANY($4) RETURNING old.previous`,
    [transition.to, transition.reason, transition.registrationId, transition.from],
  );
  const previous = rows[0]?.previous;
  if (!previous) return undefined;

  const { actor } = transition;
  await manager.query(
    `INSERT INTO registration_history (registration_id, from_status, to_status, reason, actor)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      transition.registrationId,
      previous,
      transition.to,
      transition.reason,
      actor.kind === 'system' ? 'system' : `${actor.kind}:${actor.id}`,
    ],
  );
  await appendToOutbox(
    manager,
    createEvent(
      'RegistrationStatusChanged',
      {
        registrationId: transition.registrationId,
        from: previous,
        to: transition.to,
        ...(transition.reason ? { reason: transition.reason.slice(0, 500) } : {}),
      },
      { producer: 'registration', ...transition.lineage },
    ),
  );
  return previous;
}
