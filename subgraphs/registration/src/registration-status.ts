import { registerEnumType } from 'type-graphql';

/** Where a registration stands. */
export enum RegistrationStatus {
  PENDING = 'PENDING',
  WAITLISTED = 'WAITLISTED',
  AWAITING_PAYMENT = 'AWAITING_PAYMENT',
  CONFIRMED = 'CONFIRMED',
  CANCELLED = 'CANCELLED',
  DROPPED = 'DROPPED',
  FAILED = 'FAILED',
}

registerEnumType(RegistrationStatus, {
  name: 'RegistrationStatus',
  description: 'Where a registration stands.',
  valuesConfig: {
    PENDING: { description: 'Received; the seat is being reserved.' },
    WAITLISTED: { description: 'The module is full; the student waits for a seat in order.' },
    AWAITING_PAYMENT: { description: 'A seat is held until the fee is paid.' },
    CONFIRMED: { description: 'The student is registered on the module.' },
    CANCELLED: { description: 'Ended before confirmation; the reason says why.' },
    DROPPED: { description: 'The student left the module after confirmation.' },
    FAILED: { description: 'Could not be processed; staff have been alerted.' },
  },
});

/** Statuses that hold or wait for a seat: a student has at most one per module. */
export const ACTIVE_STATUSES: readonly RegistrationStatus[] = [
  RegistrationStatus.PENDING,
  RegistrationStatus.WAITLISTED,
  RegistrationStatus.AWAITING_PAYMENT,
  RegistrationStatus.CONFIRMED,
];
