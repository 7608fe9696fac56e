import type { EntityManager } from 'typeorm';

/**
 * Runs one SQL statement and returns its rows, whatever kind of statement it is. TypeORM answers
 * an UPDATE or DELETE with `[rows, count]` but any other statement with the rows alone; asking
 * for its structured result hides that difference. Outside a transaction a runner is borrowed
 * from the pool and given back.
 */
export async function queryRows<TRow>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<TRow[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, parameters, true);
    return (result.records ?? []) as TRow[];
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
