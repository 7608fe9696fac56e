import { createBatchLoader } from '@registrar/platform';
import type { BaseContext } from '@registrar/platform';
import type DataLoader from 'dataloader';
import type { ModuleCatalogue } from './module-catalogue.js';
import type { ModuleEntity } from './module.entity.js';
import type { SeatBook } from './seat-book.js';

/** What the Module service's resolvers receive for one request. */
export interface ModuleContext extends BaseContext {
  catalogue: ModuleCatalogue;
  seatBook: SeatBook;
  /** Batches every lookup by code made while resolving one request into one query. */
  moduleByCode: DataLoader<string, ModuleEntity | undefined>;
  /**
   * Batches every `Registration.waitlistPosition` of one request (an `_entities` call for many
   * registrations included) into one query; null for a registration that is not waiting. Keys
   * must be validated UUIDs: one malformed key would fail the whole batch.
   */
  waitlistPositionByRegistration: DataLoader<string, number | null>;
}

/** Builds the per-request context of the Module service. */
export function createModuleContext(
  base: BaseContext,
  catalogue: ModuleCatalogue,
  seatBook: SeatBook,
): ModuleContext {
  return {
    ...base,
    catalogue,
    seatBook,
    moduleByCode: createBatchLoader(async (codes) => {
      const rows = await catalogue.findByCodes(codes);
      const byCode = new Map(rows.map((row) => [row.code, row]));
      return codes.map((code) => byCode.get(code));
    }),
    waitlistPositionByRegistration: createBatchLoader(async (registrationIds) => {
      const positions = await seatBook.findWaitlistPositions(registrationIds);
      return registrationIds.map((id) => positions.get(id) ?? null);
    }),
  };
}
