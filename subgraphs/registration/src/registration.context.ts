import { createBatchLoader } from '@registrar/platform';
import type { BaseContext } from '@registrar/platform';
import type DataLoader from 'dataloader';
import type { RegistrationEntity, RegistrationHistoryEntity } from './registration.entity.js';
import type { RegistrationCommands } from './registration-commands.js';
import type { RegistrationStore, SagaStepRow } from './registration-store.js';

/** What the Registration service's resolvers receive for one request. */
export interface RegistrationContext extends BaseContext {
  store: RegistrationStore;
  commands: RegistrationCommands;
  registrationById: DataLoader<string, RegistrationEntity | undefined>;
  registrationsByStudent: DataLoader<string, RegistrationEntity[]>;
  registrationsByModule: DataLoader<string, RegistrationEntity[]>;
  historyByRegistration: DataLoader<string, RegistrationHistoryEntity[]>;
  waitlistLengthByModule: DataLoader<string, number>;
  sagaStepsByRegistration: DataLoader<string, SagaStepRow[]>;
}

/**
 * Builds the per-request context. Each loader turns every lookup made while resolving one
 * request (one `_entities` call included) into a single SQL statement.
 */
export function createRegistrationContext(
  base: BaseContext,
  store: RegistrationStore,
  commands: RegistrationCommands,
): RegistrationContext {
  return {
    ...base,
    store,
    commands,
    registrationById: createBatchLoader(async (ids) => {
      const byId = new Map((await store.findByIds(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id));
    }),
    registrationsByStudent: createBatchLoader(async (ids) =>
      groupBy(ids, await store.findByStudentIds(ids), (row) => row.studentId),
    ),
    registrationsByModule: createBatchLoader(async (codes) =>
      groupBy(codes, await store.findByModuleCodes(codes), (row) => row.moduleCode),
    ),
    historyByRegistration: createBatchLoader(async (ids) =>
      groupBy(ids, await store.findHistory(ids), (row) => row.registrationId),
    ),
    sagaStepsByRegistration: createBatchLoader(async (ids) =>
      groupBy(ids, await store.findSagaSteps(ids), (row) => row.registrationId),
    ),
    waitlistLengthByModule: createBatchLoader(async (codes) => {
      const counts = await store.countWaitlisted(codes);
      return codes.map((code) => counts.get(code) ?? 0);
    }),
  };
}

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
