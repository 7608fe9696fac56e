import type { DataSource } from 'typeorm';
import { ModuleEntity } from './module.entity.js';
import type { EventLineage } from './module-events.js';
import { changeCapacity } from './seat-ledger.js';
import type { CapacityChange } from './seat-ledger.js';
import { findWaitlistPositions } from './waitlist.js';

/** What a capacity change asked over GraphQL came to. */
export type CapacityResult =
  | Exclude<CapacityChange, { outcome: 'changed' }>
  | { outcome: 'changed'; module: ModuleEntity; promoted: number };

/** The seats as GraphQL reads and changes them, each call in its own transaction. */
export interface SeatBook {
  /** Sets a module's capacity and promotes waitlisted students into the new seats. */
  changeCapacity(code: string, capacity: number, lineage: EventLineage): Promise<CapacityResult>;
  /** The waitlist position of each given registration that is waiting, in one query. */
  findWaitlistPositions(registrationIds: readonly string[]): Promise<Map<string, number>>;
}

/**
 * Creates the seat book over the Module database. `onCommitted` runs after a change commits, so
 * the outbox relay can publish its events at once instead of at its next poll.
 */
export function createSeatBook(dataSource: DataSource, onCommitted: () => void): SeatBook {
  return {
    async changeCapacity(code, capacity, lineage) {
      const result = await dataSource.transaction(async (manager): Promise<CapacityResult> => {
        const change = await changeCapacity(manager, code, capacity, lineage);
        if (change.outcome !== 'changed') return change;
        const module = await manager.findOneByOrFail(ModuleEntity, { code });
        return { outcome: 'changed', module, promoted: change.promoted };
      });
      if (result.outcome === 'changed') onCommitted();
      return result;
    },
    findWaitlistPositions: (registrationIds) =>
      findWaitlistPositions(dataSource.manager, registrationIds),
  };
}
