import { randomUUID } from 'node:crypto';
import { appendToOutbox, createEvent } from '@registrar/events';
import type { Logger } from '@registrar/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { RegistrationStatus } from '../registration-status.js';
import { transitionRegistration } from '../registration-transitions.js';
import { endUnconfirmed } from './registration.saga.js';
import type { SagaSettings } from './registration.saga.js';
import { recordSagaStep } from './saga-store.js';
import type { SagaStep } from './saga-store.js';

/** Options of {@link startSagaDeadlines}. */
export interface SagaDeadlineOptions {
  dataSource: DataSource;
  settings: SagaSettings;
  logger: Logger;
  /** How often overdue sagas are looked for. @default 2000 */
  intervalMs?: number;
  /** Seat requests sent before a registration is marked FAILED for staff. @default 5 */
  maxSeatAttempts?: number;
  /** Runs after a round that changed something, so the relay publishes at once. */
  onCommitted?: () => void;
}

/** The scheduled reconciliation of overdue sagas. */
export interface SagaDeadlines {
  /** Settles every saga overdue now; returns how many were settled. */
  settleOverdue(): Promise<number>;
  stop(): Promise<void>;
}

interface DueSaga {
  registrationId: string;
  step: SagaStep;
  attempts: number;
  studentId: string;
  moduleCode: string;
  overrideCapacity: boolean;
}

/**
 * Settles sagas past their step's deadline: a seat request without an answer is sent again with
 * backoff (the Module service handles repeats idempotently) and, after too many tries, the
 * registration is marked FAILED for staff; a payment not completed in time is stopped and the seat
 * released. Runs on a timer in each Registration service and on demand (the reconcile command).
 */
export function startSagaDeadlines(options: SagaDeadlineOptions): SagaDeadlines {
  const maxAttempts = options.maxSeatAttempts ?? 5;
  let stopped = false;
  let running: Promise<number> | undefined;

  const settleOverdue = async (): Promise<number> => {
    const settled = await options.dataSource.transaction(async (manager) => {
      const due: DueSaga[] = await manager.query(
        `SELECT s.registration_id AS "registrationId", s.step, s.attempts,
                r.student_id AS "studentId", r.module_code AS "moduleCode",
                EXISTS (SELECT 1 FROM registration_overrides o WHERE o.registration_id = s.registration_id
                        AND o.rule = 'CAPACITY') AS "overrideCapacity"
         FROM registration_sagas s JOIN registrations r ON r.id = s.registration_id
         WHERE s.deadline < now() ORDER BY s.deadline LIMIT 100 FOR UPDATE OF s SKIP LOCKED`,
      );
      for (const saga of due) await settle(manager, saga);
      return due.length;
    });
    if (settled > 0) options.onCommitted?.();
    return settled;
  };

  const settle = async (manager: EntityManager, saga: DueSaga): Promise<void> => {
    const lineage = { correlationId: `reconcile:${randomUUID()}` };
    if (saga.step === 'AWAITING_PAYMENT') {
      const reason = 'The payment was not completed in time, so the seat has been released.';
      return endUnconfirmed(manager, saga.registrationId, {
        reason,
        releaseSeat: true,
        cancelPayment: true,
        cause: 'payment-deadline',
        lineage,
      });
    }
    if (saga.step !== 'RESERVING_SEAT') {
      return recordSagaStep(manager, saga.registrationId, saga.step, 'deadline-cleared', {
        deadline: null,
      });
    }
    if (saga.attempts >= maxAttempts) {
      options.logger.error(
        { registrationId: saga.registrationId, attempts: saga.attempts },
        'seat request unanswered; registration failed',
      );
      await transitionRegistration(manager, {
        registrationId: saga.registrationId,
        from: [RegistrationStatus.PENDING],
        to: RegistrationStatus.FAILED,
        reason:
          'Your request could not be processed in time. Registry staff have been alerted and will contact you.',
        actor: { kind: 'system' },
        lineage,
      });
      return recordSagaStep(manager, saga.registrationId, 'FAILED', 'seat-deadline', {
        deadline: null,
      });
    }
    const backoff = options.settings.seatAnswerSeconds * 2 ** saga.attempts;
    await appendToOutbox(
      manager,
      createEvent(
        'ReserveSeat',
        {
          registrationId: saga.registrationId,
          studentId: saga.studentId,
          moduleCode: saga.moduleCode,
          overrideCapacity: saga.overrideCapacity,
        },
        { producer: 'registration', ...lineage },
      ),
    );
    await recordSagaStep(manager, saga.registrationId, 'RESERVING_SEAT', 'seat-deadline', {
      deadline: new Date(Date.now() + backoff * 1000),
      attempts: saga.attempts + 1,
      note: `asked again (attempt ${saga.attempts + 1})`,
    });
  };

  const tick = async (): Promise<void> => {
    if (stopped || running) return;
    running = settleOverdue();
    try {
      await running;
    } catch (error) {
      options.logger.warn(
        { err: error },
        'saga reconciliation round failed; retrying on the next round',
      );
    } finally {
      running = undefined;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 2000);
  timer.unref();

  return {
    settleOverdue,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}
