import { appendToOutbox, createEvent } from '@registrar/events';
import type { EventOf, RegistrarEvent } from '@registrar/events';
import type { EntityManager } from 'typeorm';
import { checkRegistrationRules } from '../registration-rules.js';
import type { Offering, OverridableRule, RuleSettings } from '../registration-rules.js';
import { RegistrationStatus } from '../registration-status.js';
import { transitionRegistration } from '../registration-transitions.js';
import type { Lineage } from '../registration-transitions.js';
import { lockSaga, noteSagaStep, recordSagaStep } from './saga-store.js';

/** Timing of the saga's steps, and the rules it re-checks when a waitlisted student moves up. */
export interface SagaSettings extends RuleSettings {
  /** How long the Module service may take to answer a seat request before it is asked again. */
  seatAnswerSeconds: number;
  /** How long a student has to pay before the seat is released. */
  paymentSeconds: number;
}

/** The defaults: ten seconds for a seat answer, thirty minutes to pay, 60 credits a term. */
export const DEFAULT_SAGA_SETTINGS: SagaSettings = {
  seatAnswerSeconds: 10,
  paymentSeconds: 1800,
  creditCap: 60,
};

const SYSTEM = { kind: 'system' } as const;
const lineageOf = (event: RegistrarEvent): Lineage => ({
  correlationId: event.correlationId,
  causationId: event.id,
});
const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000);

/**
 * The registration saga (orchestrated): reacts to one event inside the transaction that records it
 * as handled, moving the registration and the saga on and writing the next command to the outbox.
 * Every handler checks the current status first, so a late or repeated answer changes nothing.
 */
export async function applySagaEvent(
  event: RegistrarEvent,
  manager: EntityManager,
  settings: SagaSettings,
): Promise<void> {
  switch (event.type) {
    case 'RegistrationRequested':
      return startSaga(event, manager, settings);
    case 'SeatReserved':
      return onSeatReserved(event, manager, settings);
    case 'SeatWaitlisted':
      return onSeatWaitlisted(event, manager);
    case 'SeatRefused':
      return endUnconfirmed(manager, event.payload.registrationId, {
        reason: `No seat could be reserved: ${event.payload.reason}`,
        releaseSeat: false,
        cause: event.type,
        lineage: lineageOf(event),
      });
    case 'SeatReleased':
      return noteSagaStep(manager, event.payload.registrationId, 'COMPLETED', event.type);
    case 'PaymentPending':
      return recordSagaStep(manager, event.payload.registrationId, 'AWAITING_PAYMENT', event.type, {
        deadline: secondsFromNow(settings.paymentSeconds),
        paymentId: event.payload.paymentId,
      });
    case 'PaymentSucceeded':
      return onPaymentSucceeded(event, manager);
    case 'PaymentFailed':
      return endUnconfirmed(manager, event.payload.registrationId, {
        reason: `The payment did not go through (${event.payload.reason}). The seat has been released.`,
        releaseSeat: true,
        cause: event.type,
        lineage: lineageOf(event),
      });
    case 'PaymentCancelled':
      // A cancellation the saga did not ask for (the provider's, or staff's in its dashboard)
      // ends a registration still waiting to be paid, releasing its seat at once rather than at
      // the payment deadline; after our own cancel the registration has already ended.
      return endUnconfirmed(manager, event.payload.registrationId, {
        reason: 'The payment was cancelled, so the seat has been released.',
        releaseSeat: true,
        cause: event.type,
        lineage: lineageOf(event),
      });
    case 'RegistrationStatusChanged':
    case 'SeatAvailabilityChanged':
    case 'ReserveSeat':
    case 'ReleaseSeat':
    case 'RequestPayment':
    case 'CancelPayment':
      return;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

async function startSaga(
  event: EventOf<'RegistrationRequested'>,
  manager: EntityManager,
  settings: SagaSettings,
): Promise<void> {
  const { registrationId, studentId, moduleCode, overrideCapacity } = event.payload;
  await recordSagaStep(manager, registrationId, 'RESERVING_SEAT', event.type, {
    deadline: secondsFromNow(settings.seatAnswerSeconds),
    attempts: 1,
  });
  await appendToOutbox(
    manager,
    createEvent(
      'ReserveSeat',
      { registrationId, studentId, moduleCode, overrideCapacity },
      { producer: 'registration', ...lineageOf(event) },
    ),
  );
}

async function onSeatReserved(
  event: EventOf<'SeatReserved'>,
  manager: EntityManager,
  settings: SagaSettings,
): Promise<void> {
  const { registrationId, feeAmount, currency } = event.payload;
  const saga = await lockSaga(manager, registrationId);
  if (!saga || (saga.step !== 'RESERVING_SEAT' && saga.step !== 'WAITLISTED')) {
    return noteSagaStep(
      manager,
      registrationId,
      saga?.step ?? 'COMPLETED',
      event.type,
      'late answer ignored',
    );
  }
  const from = [RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED];
  if (event.payload.fromWaitlist) {
    const skipped = await recheckOnPromotion(manager, registrationId, settings);
    if (skipped) {
      return endUnconfirmed(manager, registrationId, {
        reason: `A seat freed up, but it could not be given to you: ${skipped} It has gone to the next student waiting.`,
        releaseSeat: true,
        cause: event.type,
        lineage: lineageOf(event),
      });
    }
  }
  const promoted = event.payload.fromWaitlist ? 'A seat freed up and is now yours. ' : '';
  if (feeAmount === 0) {
    await transitionRegistration(manager, {
      registrationId,
      from,
      to: RegistrationStatus.CONFIRMED,
      reason: promoted ? promoted.trim() : null,
      actor: SYSTEM,
      lineage: lineageOf(event),
    });
    return recordSagaStep(manager, registrationId, 'COMPLETED', event.type);
  }
  const [{ studentId }] = (await manager.query(
    `SELECT student_id AS "studentId" FROM registrations WHERE id = $1`,
    [registrationId],
  )) as [{ studentId: string }];
  await transitionRegistration(manager, {
    registrationId,
    from,
    to: RegistrationStatus.AWAITING_PAYMENT,
    reason: `${promoted}Your seat is held until the fee is paid.`,
    actor: SYSTEM,
    lineage: lineageOf(event),
  });
  await recordSagaStep(manager, registrationId, 'AWAITING_PAYMENT', event.type, {
    deadline: secondsFromNow(settings.paymentSeconds),
  });
  await appendToOutbox(
    manager,
    createEvent(
      'RequestPayment',
      { registrationId, studentId, amount: feeAmount, currency },
      { producer: 'registration', ...lineageOf(event) },
    ),
  );
}

// While a student waited, their week may have filled up: the rules that can change in the
// meantime (holds, clashes, credits) are checked again before the seat becomes theirs.
async function recheckOnPromotion(
  manager: EntityManager,
  registrationId: string,
  settings: SagaSettings,
): Promise<string | undefined> {
  const [row] = (await manager.query(
    `SELECT r.student_id AS "studentId", o.code, o.term, o.credits, o.timetable, o.prerequisites,
            o.registration_opens_at AS opens, o.registration_closes_at AS closes,
            ARRAY(SELECT rule FROM registration_overrides WHERE registration_id = r.id) AS overrides
     FROM registrations r JOIN module_offerings o ON o.code = r.module_code WHERE r.id = $1`,
    [registrationId],
  )) as Array<Offering & { studentId: string; overrides: OverridableRule[] }>;
  if (!row) return undefined;
  const violations = await checkRegistrationRules(manager, row.studentId, row, {
    settings,
    overrides: row.overrides,
    exceptRegistrationId: registrationId,
  });
  const relevant = violations.filter((v) =>
    ['STUDENT_HOLD', 'TIMETABLE_CLASH', 'CREDIT_CAP_EXCEEDED'].includes(v.rule),
  );
  return relevant.length ? relevant.map((v) => v.message).join(' ') : undefined;
}

async function onSeatWaitlisted(
  event: EventOf<'SeatWaitlisted'>,
  manager: EntityManager,
): Promise<void> {
  const { registrationId, position } = event.payload;
  await transitionRegistration(manager, {
    registrationId,
    from: [RegistrationStatus.PENDING],
    to: RegistrationStatus.WAITLISTED,
    reason: `The module is full; you are number ${position} on the waitlist.`,
    actor: SYSTEM,
    lineage: lineageOf(event),
  });
  await recordSagaStep(manager, registrationId, 'WAITLISTED', event.type, {
    deadline: null,
    note: `position ${position}`,
  });
}

async function onPaymentSucceeded(
  event: EventOf<'PaymentSucceeded'>,
  manager: EntityManager,
): Promise<void> {
  const { registrationId } = event.payload;
  const confirmed = await transitionRegistration(manager, {
    registrationId,
    from: [RegistrationStatus.AWAITING_PAYMENT],
    to: RegistrationStatus.CONFIRMED,
    reason: 'Payment received.',
    actor: SYSTEM,
    lineage: lineageOf(event),
  });
  if (confirmed) return recordSagaStep(manager, registrationId, 'COMPLETED', event.type);
  // The money arrived after the registration had ended (timed out or dropped): give it back.
  await appendToOutbox(
    manager,
    createEvent(
      'CancelPayment',
      {
        registrationId,
        refund: true,
        reason: 'The registration had ended before the payment arrived.',
      },
      { producer: 'registration', ...lineageOf(event) },
    ),
  );
  await noteSagaStep(manager, registrationId, 'COMPENSATING', event.type, 'late payment refunded');
}

/** How {@link endUnconfirmed} ends a registration. */
export interface Ending {
  reason: string;
  /** A seat was held: release it (and so offer it to the next student waiting). */
  releaseSeat: boolean;
  /** Stop the payment that was asked for (not refunding: nothing was taken). */
  cancelPayment?: boolean;
  /** What caused the ending, for the saga's trail: an event type or a job. */
  cause: string;
  lineage: Lineage;
}

/** Ends a registration that was not confirmed: CANCELLED with the reason, then compensates. */
export async function endUnconfirmed(
  manager: EntityManager,
  registrationId: string,
  ending: Ending,
): Promise<void> {
  const previous = await transitionRegistration(manager, {
    registrationId,
    from: [
      RegistrationStatus.PENDING,
      RegistrationStatus.WAITLISTED,
      RegistrationStatus.AWAITING_PAYMENT,
    ],
    to: RegistrationStatus.CANCELLED,
    reason: ending.reason,
    actor: SYSTEM,
    lineage: ending.lineage,
  });
  if (!previous)
    return noteSagaStep(manager, registrationId, 'COMPLETED', ending.cause, 'already ended');
  const metadata = { producer: 'registration', ...ending.lineage };
  const [{ moduleCode }] = (await manager.query(
    `SELECT module_code AS "moduleCode" FROM registrations WHERE id = $1`,
    [registrationId],
  )) as [{ moduleCode: string }];
  if (ending.releaseSeat) {
    await appendToOutbox(
      manager,
      createEvent('ReleaseSeat', { registrationId, moduleCode, reason: ending.reason }, metadata),
    );
  }
  if (ending.cancelPayment) {
    await appendToOutbox(
      manager,
      createEvent(
        'CancelPayment',
        { registrationId, refund: false, reason: ending.reason },
        metadata,
      ),
    );
  }
  await recordSagaStep(
    manager,
    registrationId,
    ending.releaseSeat ? 'COMPENSATING' : 'COMPLETED',
    ending.cause,
    { note: ending.reason },
  );
}
