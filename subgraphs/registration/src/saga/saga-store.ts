import type { EntityManager } from 'typeorm';

/** Where a registration's saga stands. */
export type SagaStep =
  'RESERVING_SEAT' | 'WAITLISTED' | 'AWAITING_PAYMENT' | 'COMPLETED' | 'COMPENSATING' | 'FAILED';

/** A saga's persisted state. */
export interface SagaState {
  registrationId: string;
  step: SagaStep;
  attempts: number;
  deadline: Date | null;
}

/** Moves a saga to a step (creating it on first use) and records the step and its cause. */
export async function recordSagaStep(
  manager: EntityManager,
  registrationId: string,
  step: SagaStep,
  cause: string,
  options: { deadline?: Date | null; note?: string; attempts?: number; paymentId?: string } = {},
): Promise<void> {
  await manager.query(
    `INSERT INTO registration_sagas (registration_id, step, deadline, attempts, payment_id)
     VALUES ($1, $2, $3, COALESCE($4, 0), $5)
     ON CONFLICT (registration_id) DO UPDATE SET step = $2, deadline = $3,
       attempts = COALESCE($4, registration_sagas.attempts),
       payment_id = COALESCE($5, registration_sagas.payment_id), updated_at = now()`,
    [
      registrationId,
      step,
      options.deadline ?? null,
      options.attempts ?? null,
      options.paymentId ?? null,
    ],
  );
  await noteSagaStep(manager, registrationId, step, cause, options.note);
}

/** Records a step in the saga's trail without changing where it stands. */
export async function noteSagaStep(
  manager: EntityManager,
  registrationId: string,
  step: SagaStep,
  cause: string,
  note?: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO saga_steps (registration_id, step, cause, note) VALUES ($1, $2, $3, $4)`,
    [registrationId, step, cause, note ?? null],
  );
}

/** Reads a saga's state, locking it for the rest of the transaction. */
export async function lockSaga(
  manager: EntityManager,
  registrationId: string,
): Promise<SagaState | undefined> {
  const [row] = (await manager.query(
    `SELECT registration_id AS "registrationId", step, attempts, deadline
     FROM registration_sagas WHERE registration_id = $1 FOR UPDATE`,
    [registrationId],
  )) as SagaState[];
  return row;
}
