import type { BaseContext } from '@registrar/platform';
import DataLoader from 'dataloader';
import type { ModuleCatalogue } from './module-catalogue.js';
import type { ModuleEntity } from './module.entity.js';

/** What the Module service's resolvers receive for one request. */
export interface ModuleContext extends BaseContext {
  catalogue: ModuleCatalogue;
  /** Batches every lookup by code made while resolving one request into one query. */
  moduleByCode: DataLoader<string, ModuleEntity | undefined>;
}

/** Builds the per-request context of the Module service. */
export function createModuleContext(base: BaseContext, catalogue: ModuleCatalogue): ModuleContext {
  return {
    ...base,
    catalogue,
    moduleByCode: new DataLoader(async (codes) => {
      const rows = await catalogue.findByCodes(codes);
      const byCode = new Map(rows.map((row) => [row.code, row]));
      return codes.map((code) => byCode.get(code));
    }),
  };
}
