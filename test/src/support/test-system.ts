import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signAccessToken } from '@registrar/gateway';
import { DEMO_PASSWORD, createLogger, parseConfig } from '@registrar/platform';
import type { Logger, QueryCounter, Role } from '@registrar/platform';
import { startSystem, systemConfigSchema } from '@registrar/system';
import type { RunningSystem, SubgraphName } from '@registrar/system';

/** The variables that point the tests at real services; CI must set every one of them. */
export const REAL_SERVICE_VARIABLES = [
  'DATABASE_URL_STUDENT',
  'DATABASE_URL_MODULE',
  'DATABASE_URL_REGISTRATION',
  'DATABASE_URL_PAYMENT',
  'DATABASE_URL_IDENTITY',
  'REDIS_URL',
] as const;

/** A GraphQL response as the tests read it. */
export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: TData | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/** The whole system started for one test file, with helpers to call it. */
export interface TestSystem {
  system: RunningSystem;
  queryCounters: Record<SubgraphName, Required<QueryCounter>>;
  /** Sends a GraphQL request through the gateway, as the holder of `token` when given. */
  graphql<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<TData>>;
  /** The gateway's base URL, such as http://127.0.0.1:41234. */
  baseUrl: string;
  /** Signs in through `POST /auth/login` as a mobile client and returns its tokens. */
  login(
    username: string,
    password?: string,
  ): Promise<{ accessToken: string; refreshToken: string }>;
  /** Opens a session as login does and returns its access token. */
  signIn(principal: { subject: string; roles: Role[]; studentId?: string }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the whole system on free ports. With the real-service variables set (as `.ci/run`
 * does), it uses those servers; otherwise an embedded PostgreSQL in a temporary folder and the
 * in-memory store. In CI a missing variable fails the run instead of quietly embedding.
 */
export async function startTestSystem(overrides: Record<string, string> = {}): Promise<TestSystem> {
  assertRealServicesInCi();
  const dataDir = mkdtempSync(join(tmpdir(), 'registrar-test-'));
  const config = parseConfig(systemConfigSchema, {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    STUDENT_PORT: '0',
    MODULE_PORT: '0',
    REGISTRATION_PORT: '0',
    PAYMENT_PORT: '0',
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(await findFreePort()),
    SEED_DEMO_DATA: 'true',
    // Each test system has its own topics and consumer groups on a shared broker: events a
    // previous test file left unconsumed (signed with that run's keys) never reach this one.
    EVENT_NAMESPACE: `test-${randomUUID().slice(0, 8)}.`,
    ...overrides,
  });
  const queryCounters = {
    student: { count: 0, statements: [] as string[] },
    module: { count: 0, statements: [] as string[] },
    registration: { count: 0, statements: [] as string[] },
    payment: { count: 0, statements: [] as string[] },
  };
  const system = await startSystem({ config, logger: testLogger(), queryCounters });

  const baseUrl = system.gateway.url.replace(/\/graphql$/, '');
  return {
    system,
    queryCounters,
    baseUrl,
    async login(username, password = DEMO_PASSWORD) {
      const response = await fetch(`${baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password, client: 'mobile' }),
      });
      if (response.status !== 200)
        throw new Error(`login of ${username} answered ${response.status}`);
      return (await response.json()) as { accessToken: string; refreshToken: string };
    },
    graphql: (query, variables, token) => postGraphQL(system.gateway.url, query, variables, token),
    async signIn(principal) {
      const session = await system.gateway.sessions.create(principal, 'test');
      return signAccessToken({ ...principal, sessionId: session.id }, system.keyRing.current());
    },
    async stop() {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Posts a GraphQL request and parses the answer, whatever its status. */
export async function postGraphQL<TData>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  extraHeaders: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...extraHeaders,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}

/** Fails at once in CI when a real service is not configured: nothing may be skipped there. */
export function assertRealServicesInCi(): void {
  if (process.env['CI'] !== 'true') return;
  const missing = REAL_SERVICE_VARIABLES.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `CI must run against real services, but ${missing.join(', ')} is not set. Start them with infra/start.sh.`,
    );
  }
}

/** Asks the kernel for a free loopback port. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function testLogger(): Logger {
  return createLogger({ service: 'test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
}
