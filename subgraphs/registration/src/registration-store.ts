import { createError, decodeCursor, encodeCursor, isUuid } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import { RegistrationEntity, RegistrationHistoryEntity } from './registration.entity.js';
import type { RegistrationStatus } from './registration-status.js';

/** Filters of {@link RegistrationStore.findPage}. */
export interface RegistrationQuery {
  moduleCode?: string | null;
  studentId?: string | null;
  status?: RegistrationStatus[] | null;
}

/** One recorded step of a registration's saga. */
export interface SagaStepRow {
  registrationId: string;
  step: string;
  cause: string;
  note: string | null;
  occurredAt: Date;
}

/** Reads registrations; every method is one SQL statement whatever the number of keys. */
export interface RegistrationStore {
  /** The service's database, for the few writes that need no more than one statement. */
  dataSource: DataSource;
  findByIds(ids: readonly string[]): Promise<RegistrationEntity[]>;
  findByStudentIds(studentIds: readonly string[]): Promise<RegistrationEntity[]>;
  findByModuleCodes(codes: readonly string[]): Promise<RegistrationEntity[]>;
  findHistory(registrationIds: readonly string[]): Promise<RegistrationHistoryEntity[]>;
  /** The saga steps of these registrations, oldest first. */
  findSagaSteps(registrationIds: readonly string[]): Promise<SagaStepRow[]>;
  /** How many students wait for a seat, per module code (absent codes have none). */
  countWaitlisted(codes: readonly string[]): Promise<Map<string, number>>;
  /** One page, newest first, after the cursor. */
  findPage(
    query: RegistrationQuery,
    first: number,
    after?: string | null,
  ): Promise<{ rows: RegistrationEntity[]; hasNextPage: boolean }>;
}

/** Creates the store over the Registration service's data source. */
export function createRegistrationStore(dataSource: DataSource): RegistrationStore {
  const registrations = dataSource.getRepository(RegistrationEntity);
  const history = dataSource.getRepository(RegistrationHistoryEntity);
  const whereAny = (column: string, values: readonly string[]) =>
    registrations
      .createQueryBuilder('r')
      .where(`r.${column} = ANY(:values)`, { values: [...values] })
      .orderBy('r.created_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();

  return {
    dataSource,
    findByIds: (ids) => (ids.length ? whereAny('id', ids) : Promise.resolve([])),
    findByStudentIds: (ids) => (ids.length ? whereAny('student_id', ids) : Promise.resolve([])),
    findByModuleCodes: (codes) =>
      codes.length ? whereAny('module_code', codes) : Promise.resolve([]),
    async findHistory(ids) {
      if (ids.length === 0) return [];
      return history
        .createQueryBuilder('h')
        .where('h.registration_id = ANY(:ids)', { ids: [...ids] })
        .orderBy('h.id', 'ASC')
        .getMany();
    },
    async findSagaSteps(ids) {
      if (ids.length === 0) return [];
      return dataSource.query(
        `SELECT registration_id AS "registrationId", step, cause, note, occurred_at AS "occurredAt"
         FROM saga_steps WHERE registration_id = ANY($1) ORDER BY id`,
        [[...ids]],
      );
    },
    async countWaitlisted(codes) {
      if (codes.length === 0) return new Map();
      const rows: Array<{ code: string; waiting: string }> = await registrations
        .createQueryBuilder('r')
        .select('r.module_code', 'code')
        .addSelect('count(*)', 'waiting')
        .where('r.module_code = ANY(:codes)', { codes: [...codes] })
        .andWhere('r.status = :status', { status: 'WAITLISTED' })
        .groupBy('r.module_code')
        .getRawMany();
      return new Map(rows.map((row) => [row.code, Number(row.waiting)]));
    },
    async findPage(query, first, after) {
      const builder = registrations.createQueryBuilder('r');
      if (query.moduleCode) builder.andWhere('r.module_code = :code', { code: query.moduleCode });
      if (query.studentId)
        builder.andWhere('r.student_id = :studentId', { studentId: query.studentId });
      if (query.status?.length)
        builder.andWhere('r.status IN (:...status)', { status: query.status });
      if (after) {
        const [createdAt, id] = parseRegistrationCursor(after);
        builder.andWhere('(r.created_at, r.id) < (:createdAt, :id)', { createdAt, id });
      }
      const rows = await builder
        .orderBy('r.created_at', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .limit(first + 1)
        .getMany();
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
    },
  };
}

/** The cursor of a registration in the newest-first list. */
export function registrationCursor(row: RegistrationEntity): string {
  return encodeCursor(`${row.createdAt.toISOString()}|${row.id}`);
}

function parseRegistrationCursor(cursor: string): [string, string] {
  const [createdAt, id] = decodeCursor(cursor).split('|');
  if (!createdAt || !id || !isUuid(id) || Number.isNaN(Date.parse(createdAt))) {
    throw createError(
      'BAD_USER_INPUT',
      'The cursor in "after" is not valid. Use the endCursor of a previous page.',
      {
        argument: 'after',
      },
    );
  }
  return [createdAt, id];
}
