import type { RegistrationEntity, RegistrationHistoryEntity } from './registration.entity.js';
import type { Registration, RegistrationHistoryEntry } from './registration.types.js';

/** Turns a stored registration into its GraphQL shape. */
export function toRegistration(row: RegistrationEntity): Registration {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    term: row.term,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    studentId: row.studentId,
    moduleCode: row.moduleCode,
  };
}

/** Turns a history row into its GraphQL shape; staff ids stay inside the service. */
export function toHistoryEntry(row: RegistrationHistoryEntity): RegistrationHistoryEntry {
  return {
    from: row.fromStatus,
    to: row.toStatus,
    reason: row.reason,
    actor: row.actor.split(':', 1)[0] ?? 'system',
    occurredAt: row.occurredAt,
  };
}
