import { DEMO_PASSWORD, demoStudents, demoUuid } from '@registrar/platform';
import type { Role } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import { hashPassword } from './password-hash.js';

const STAFF_ACCOUNTS: ReadonlyArray<[username: string, roles: Role[]]> = [
  ['staff1', ['staff']],
  ['finance1', ['finance']],
  ['admin1', ['admin', 'staff']],
];

/**
 * Seeds the demo accounts once (students s0001 … s0200, staff1, finance1, admin1). They share
 * one scrypt hash of the published demo password: salting each would cost 200 hashes (seconds)
 * on every fresh start and protect nothing, as the password is printed at start. Returns how many
 * accounts were inserted.
 */
export async function seedDemoAccounts(dataSource: DataSource): Promise<number> {
  const [{ count }] = (await dataSource.query('SELECT count(*)::int AS count FROM accounts')) as [
    { count: number },
  ];
  if (count > 0) return 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const records = [
    ...demoStudents().map((student) => ({
      id: demoUuid(`account:${student.studentNumber}`),
      username: student.studentNumber,
      roles: ['student'],
      student_id: student.id,
    })),
    ...STAFF_ACCOUNTS.map(([username, roles]) => ({
      id: demoUuid(`account:${username}`),
      username,
      roles,
      student_id: null,
    })),
  ].map((record) => ({ ...record, password_hash: passwordHash }));
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO accounts (id, username, password_hash, roles, student_id)
     SELECT id, username, password_hash, roles, student_id
     FROM jsonb_populate_recordset(NULL::accounts, $1::jsonb)
     ON CONFLICT DO NOTHING RETURNING id`,
    [JSON.stringify(records)],
  );
  return inserted.length;
}
