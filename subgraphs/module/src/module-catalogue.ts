import { createError, decodeCursor, encodeCursor } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import { ModuleEntity } from './module.entity.js';
import type { ModuleFilter } from './module.types.js';

/** A page of catalogue rows. */
export interface ModulePage {
  rows: ModuleEntity[];
  hasNextPage: boolean;
  totalCount: number;
}

/** Reads the module catalogue. */
export interface ModuleCatalogue {
  /** One page of modules matching the filter, ordered by code, after the cursor. */
  findPage(filter: ModuleFilter, first: number, after?: string | null): Promise<ModulePage>;
  /** The modules with these codes, in one query; unknown codes are absent. */
  findByCodes(codes: readonly string[]): Promise<ModuleEntity[]>;
}

const MAX_SEARCH_LENGTH = 100;

/** Creates the catalogue over the Module service's data source. */
export function createModuleCatalogue(dataSource: DataSource): ModuleCatalogue {
  const repository = dataSource.getRepository(ModuleEntity);
  return {
    async findPage(filter, first, after) {
      const query = repository.createQueryBuilder('m');
      applyFilter(query, filter);
      const totalCount = await query.getCount();
      if (after) query.andWhere('m.code > :after', { after: decodeCursor(after) });
      const rows = await query
        .orderBy('m.code', 'ASC')
        .limit(first + 1)
        .getMany();
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
    },
    async findByCodes(codes) {
      if (codes.length === 0) return [];
      return repository
        .createQueryBuilder('m')
        .where('m.code = ANY(:codes)', { codes: [...codes] })
        .getMany();
    },
  };
}

/** Encodes the cursor of a catalogue row. */
export function moduleCursor(row: ModuleEntity): string {
  return encodeCursor(row.code);
}

type ModuleQuery = ReturnType<ReturnType<DataSource['getRepository']>['createQueryBuilder']>;

function applyFilter(query: ModuleQuery, filter: ModuleFilter): void {
  const search = filter.search?.trim();
  if (search !== undefined && search.length > MAX_SEARCH_LENGTH) {
    throw createError(
      'BAD_USER_INPUT',
      `"filter.search" may hold at most ${MAX_SEARCH_LENGTH} characters; it held ${search.length}.`,
      { argument: 'filter.search' },
    );
  }
  if (search) {
    // Wildcards typed by the user are matched literally, not as patterns.
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.andWhere(
      '(m.code ILIKE :pattern OR m.title ILIKE :pattern OR m.description ILIKE :pattern)',
      { pattern },
    );
  }
  if (filter.credits !== null && filter.credits !== undefined) {
    if (!Number.isInteger(filter.credits) || filter.credits < 1 || filter.credits > 120) {
      throw createError(
        'BAD_USER_INPUT',
        `"filter.credits" must be from 1 to 120; it was ${filter.credits}.`,
        {
          argument: 'filter.credits',
        },
      );
    }
    query.andWhere('m.credits = :credits', { credits: filter.credits });
  }
  if (filter.term) query.andWhere('m.term = :term', { term: filter.term });
  if (filter.department)
    query.andWhere('m.department = :department', { department: filter.department });
  if (filter.hasSeats === true) query.andWhere('m.seats_taken < m.capacity');
  if (filter.hasSeats === false) query.andWhere('m.seats_taken >= m.capacity');
}
