import { randomUUID } from 'node:crypto';
import { appendToOutbox, createEvent } from '@registrar/events';
import { createError } from '@registrar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { RegistrationEntity } from './registration.entity.js';
import { ACTIVE_STATUSES, RegistrationStatus } from './registration-status.js';
import { checkRegistrationRules } from './registration-rules.js';
import type {
  Offering,
  OverridableRule,
  RuleSettings,
  RuleViolation,
} from './registration-rules.js';
import { transitionRegistration } from './registration-transitions.js';
import type { Actor, Lineage } from './registration-transitions.js';

export type { Actor } from './registration-transitions.js';

/** Changes registrations; each change, its history and its events commit in one transaction. */
export interface RegistrationCommands {
  /** Records a PENDING registration and its RegistrationRequested event. */
  register(
    studentId: string,
    moduleCode: string,
    actor: Actor,
    lineage: Lineage,
    overrides?: Overrides,
  ): Promise<RegistrationEntity>;
  /** Drops a registration (or cancels one not yet confirmed), releasing its seat and payment. */
  drop(
    registration: RegistrationEntity,
    actor: Actor,
    lineage: Lineage,
  ): Promise<RegistrationEntity>;
}

interface OfferingRow extends Offering {
  fee: number;
}

/** Rules staff waive for this one registration, and why. */
export interface Overrides {
  rules: OverridableRule[];
  reason: string;
}

/**
 * Creates the commands over the Registration service's data source. `onCommitted` runs after
 * each committed change, so the outbox relay can publish its events at once.
 */
export function createRegistrationCommands(
  dataSource: DataSource,
  settings: RuleSettings,
  onCommitted: () => void = () => undefined,
): RegistrationCommands {
  const committing = async <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
    const result = await dataSource.transaction(work);
    onCommitted();
    return result;
  };
  return {
    register: (studentId, moduleCode, actor, lineage, overrides) =>
      committing(async (manager) => {
        const offering = await findOffering(manager, moduleCode);
        const violations = await checkRegistrationRules(manager, studentId, offering, {
          settings,
          overrides: overrides?.rules ?? [],
        });
        if (violations.length > 0) throw rulesError(violations);
        const id = randomUUID();
        await insertRegistration(manager, { id, studentId, moduleCode, term: offering.term });
        const actorName = `${actor.kind}:${actor.id}`;
        const note = overrides?.rules.length
          ? `Staff overrode ${overrides.rules.join(', ')}: ${overrides.reason}`
          : null;
        await manager.query(
          `INSERT INTO registration_history (registration_id, from_status, to_status, reason, actor)
           VALUES ($1, NULL, 'PENDING', $2, $3)`,
          [id, note, actorName],
        );
        for (const rule of overrides?.rules ?? []) {
          await manager.query(
            `INSERT INTO registration_overrides (registration_id, rule, granted_by, reason) VALUES ($1, $2, $3, $4)`,
            [id, rule, actorName, overrides!.reason],
          );
        }
        const overrideCapacity = overrides?.rules.includes('CAPACITY') ?? false;
        await appendToOutbox(
          manager,
          createEvent(
            'RegistrationRequested',
            { registrationId: id, studentId, moduleCode, overrideCapacity },
            { producer: 'registration', ...lineage },
          ),
        );
        return manager.findOneByOrFail(RegistrationEntity, { id });
      }),

    drop: (registration, actor, lineage) =>
      committing(async (manager) => {
        if (!ACTIVE_STATUSES.includes(registration.status)) {
          throw createError(
            'CONFLICT',
            `This registration is already ${registration.status.toLowerCase()}, so there is nothing to drop.`,
            {
              rule: 'NOT_ACTIVE',
            },
          );
        }
        const to =
          registration.status === RegistrationStatus.CONFIRMED
            ? RegistrationStatus.DROPPED
            : RegistrationStatus.CANCELLED;
        const reason =
          actor.kind === 'staff' ? 'Dropped by registry staff.' : 'Dropped by the student.';
        const previous = await transitionRegistration(manager, {
          registrationId: registration.id,
          from: [registration.status],
          to,
          reason,
          actor,
          lineage,
        });
        if (!previous) {
          throw createError(
            'CONFLICT',
            'This registration changed while you were dropping it. Reload it and try again.',
          );
        }
        await compensateDrop(manager, registration, previous, reason, lineage);
        return manager.findOneByOrFail(RegistrationEntity, { id: registration.id });
      }),
  };
}

// A drop gives the seat back (or leaves the waitlist) and stops or refunds the payment. The Module
// and Payment services treat these commands idempotently, so sending them for a registration that
// never got that far changes nothing there.
async function compensateDrop(
  manager: EntityManager,
  registration: RegistrationEntity,
  previous: RegistrationStatus,
  reason: string,
  lineage: Lineage,
): Promise<void> {
  const metadata = { producer: 'registration', ...lineage };
  await appendToOutbox(
    manager,
    createEvent(
      'ReleaseSeat',
      { registrationId: registration.id, moduleCode: registration.moduleCode, reason },
      metadata,
    ),
  );
  const offering = await findOffering(manager, registration.moduleCode);
  if (
    offering.fee > 0 &&
    (previous === RegistrationStatus.AWAITING_PAYMENT || previous === RegistrationStatus.CONFIRMED)
  ) {
    // Refund policy: a paid module dropped while its registration window is open is refunded in
    // full; after the window closes the fee stands.
    const refund = previous === RegistrationStatus.CONFIRMED && new Date() < offering.closes;
    await appendToOutbox(
      manager,
      createEvent('CancelPayment', { registrationId: registration.id, refund, reason }, metadata),
    );
  }
}

/** Reads the Registration service's copy of a module offering. */
export async function findOffering(
  manager: EntityManager,
  moduleCode: string,
): Promise<OfferingRow> {
  const [offering] = (await manager.query(
    `SELECT code, term, credits, timetable, prerequisites, registration_opens_at AS opens,
       registration_closes_at AS closes, fee_amount AS fee
     FROM module_offerings WHERE code = $1`,
    [moduleCode],
  )) as OfferingRow[];
  if (!offering) {
    throw createError(
      'NOT_FOUND',
      `No module has the code ${moduleCode}. Check the code in the catalogue.`,
      {
        argument: 'moduleCode',
      },
    );
  }
  return offering;
}

// Every failed rule is reported at once, each with its code and sentence.
function rulesError(violations: RuleViolation[]) {
  const message =
    violations.length === 1
      ? violations[0]!.message
      : `You cannot register yet, for ${violations.length} reasons: ${violations.map((v) => v.message).join(' ')}`;
  return createError('CONFLICT', message, { rule: violations[0]!.rule, violations });
}

async function insertRegistration(
  manager: EntityManager,
  row: { id: string; studentId: string; moduleCode: string; term: string },
): Promise<void> {
  try {
    await manager.query(
      `INSERT INTO registrations (id, student_id, module_code, term, status) VALUES ($1, $2, $3, $4, 'PENDING')`,
      [row.id, row.studentId, row.moduleCode, row.term],
    );
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'registrations_one_active_per_module') {
      throw createError(
        'CONFLICT',
        `You already have an active registration for ${row.moduleCode}. See "My registrations" for its status.`,
        { rule: 'ALREADY_REGISTERED' },
      );
    }
    throw error;
  }
}
