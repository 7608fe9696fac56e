import { createDataSource, openDatabase } from '@registrar/platform';
import type { Logger, Role } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import { AccountEntity } from './account.entity.js';
import { seedDemoAccounts } from './account.seed.js';
import { createApiKeyStore } from './api-keys.js';
import type { ApiKeyStore } from './api-keys.js';
import { CreateAccounts1764730000000 } from './migrations/1764730000000-create-accounts.js';
import { CreateApiKeys1764730100000 } from './migrations/1764730100000-create-api-keys.js';
import { hashPassword } from './password-hash.js';

/** What the gateway knows about an account when signing someone in. */
export interface Account {
  id: string;
  username: string;
  passwordHash: string;
  roles: Role[];
  studentId?: string;
  disabled: boolean;
}

/** The gateway's accounts, in its own database. */
export interface AccountDirectory {
  findByUsername(username: string): Promise<Account | undefined>;
  setDisabled(username: string, disabled: boolean): Promise<Account | undefined>;
  changePassword(username: string, password: string): Promise<void>;
  /** Partner API keys, kept in the same database. */
  apiKeys: ApiKeyStore;
  close(): Promise<void>;
}

/** Options of {@link openAccountDirectory}. */
export interface AccountDirectoryOptions {
  databaseUrl: string;
  logger: Logger;
  /** Seed the demo accounts (idempotent). */
  seedDemoData: boolean;
}

/** Opens (and migrates) the account database. */
export async function openAccountDirectory(
  options: AccountDirectoryOptions,
): Promise<AccountDirectory> {
  const dataSource = createDataSource({
    url: options.databaseUrl,
    entities: [AccountEntity],
    migrations: [CreateAccounts1764730000000, CreateApiKeys1764730100000],
    logger: options.logger,
    poolSize: 5,
  });
  await openDatabase(dataSource, options.logger);
  if (options.seedDemoData) {
    const seeded = await seedDemoAccounts(dataSource);
    if (seeded > 0) options.logger.info({ accounts: seeded }, 'demo accounts seeded');
  }
  return createAccountDirectory(dataSource);
}

function createAccountDirectory(dataSource: DataSource): AccountDirectory {
  const accounts = dataSource.getRepository(AccountEntity);
  const find = async (username: string) => {
    const row = await accounts
      .createQueryBuilder('a')
      .where('lower(a.username) = lower(:username)', { username })
      .getOne();
    return row ? toAccount(row) : undefined;
  };
  return {
    findByUsername: find,
    async setDisabled(username, disabled) {
      await accounts
        .createQueryBuilder()
        .update()
        .set({ disabled })
        .where('lower(username) = lower(:username)', { username })
        .execute();
      return find(username);
    },
    async changePassword(username, password) {
      const passwordHash = await hashPassword(password);
      await accounts
        .createQueryBuilder()
        .update()
        .set({ passwordHash, passwordChangedAt: () => 'now()' })
        .where('lower(username) = lower(:username)', { username })
        .execute();
    },
    apiKeys: createApiKeyStore(dataSource),
    close: () => dataSource.destroy(),
  };
}

function toAccount(row: AccountEntity): Account {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.passwordHash,
    roles: row.roles,
    disabled: row.disabled,
    ...(row.studentId ? { studentId: row.studentId } : {}),
  };
}
