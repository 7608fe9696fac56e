import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Redis } from 'ioredis';
import { ANONYMOUS, connectRedis, createErrorFormatter, createLogger } from '@registrar/platform';
import type { Logger, Role, Viewer } from '@registrar/platform';
import { createGatewayLimits } from './gateway-limits.js';
import type { GatewayLimits } from './gateway-limits.js';
import type { LimitsOverrides } from './limits.config.js';
import type { LimitsContext } from './limits.plugin.js';

// A small, non-federated schema with what the limits care about: a paginated list, nested
// unpaginated lists, an enum, and the rate-limited mutation.
const typeDefs = /* GraphQL */ `
  type Query {
    modules(first: Int, last: Int): [Module!]!
    module(code: String!): Module
  }
  type Module {
    code: String!
    title: String!
    prerequisites(first: Int): [Module!]!
    registrations(status: RegistrationStatus): [Registration!]!
  }
  enum RegistrationStatus {
    PENDING
    CONFIRMED
  }
  type Registration {
    id: ID!
    status: RegistrationStatus!
    module: Module!
  }
  type Mutation {
    registerForModule(moduleCode: String!): Registration!
  }
`;

/** How often the resolvers ran: a refused operation must leave both at zero. */
export interface ResolverCalls {
  total: number;
  registerForModule: number;
}

/** One error of a GraphQL answer. */
export interface TestError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** One GraphQL result: a batch answers with an array of them. */
export interface TestResult {
  data?: Record<string, unknown> | null;
  errors?: TestError[];
}

/** A GraphQL answer as the tests read it. */
export interface TestResponse {
  status: number;
  headers: Headers;
  body: TestResult | TestResult[];
}

/** Who sends a test request: a role (or anonymous), and the client address it comes from. */
export interface TestCaller {
  role?: Role | 'anonymous';
  subject?: string;
  ip?: string;
}

/** A running test server. */
export interface LimitsTestServer {
  url: string;
  calls: ResolverCalls;
  limits: GatewayLimits;
  /** Posts a JSON body (one operation or a batch) to `/graphql`. */
  post(body: unknown, caller?: TestCaller): Promise<TestResponse>;
  /** Posts one query. */
  query(
    query: string,
    caller?: TestCaller,
    variables?: Record<string, unknown>,
  ): Promise<TestResponse>;
  resetCalls(): void;
  stop(): Promise<void>;
}

/** Options of {@link startLimitsTestServer}. */
export interface LimitsTestServerOptions {
  redis?: Redis;
  config?: LimitsOverrides;
  logger?: Logger;
}

/**
 * Starts Apollo Server on Express with the limits wired as the gateway wires them: the batch
 * middleware after `express.json()`, the plugin, the parse ceiling, and `clientIp` in the
 * context. Requests name their role in `x-test-role`; `X-Forwarded-For` is trusted from loopback
 * so each test can act from its own address.
 */
export async function startLimitsTestServer(
  options: LimitsTestServerOptions = {},
): Promise<LimitsTestServer> {
  const logger = options.logger ?? createLogger({ service: 'limits-test', level: 'silent' });
  const limits = createGatewayLimits({
    ...(options.redis ? { redis: options.redis } : {}),
    logger,
    config: { trustProxy: 'loopback', ...options.config },
  });
  const calls: ResolverCalls = { total: 0, registerForModule: 0 };
  const app = express();
  const httpServer = createServer(app);
  const apollo = new ApolloServer<LimitsContext>({
    typeDefs,
    resolvers: createResolvers(calls),
    allowBatchedHttpRequests: true,
    introspection: true,
    parseOptions: limits.parseOptions,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), limits.plugin],
  });
  await apollo.start();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    limits.batchLimit,
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        viewer: viewerOf(req.header('x-test-role'), req.header('x-test-subject')),
        clientIp: limits.clientIpOf(req),
      }),
    }),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;

  const post = async (body: unknown, caller: TestCaller = {}): Promise<TestResponse> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-test-role': caller.role ?? 'anonymous',
        ...(caller.subject ? { 'x-test-subject': caller.subject } : {}),
        ...(caller.ip ? { 'x-forwarded-for': caller.ip } : {}),
      },
      body: JSON.stringify(body),
    });
    const parsed = (await response.json()) as TestResult | TestResult[];
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    url,
    calls,
    limits,
    post,
    query: (query, caller, variables) => post({ query, variables }, caller),
    resetCalls() {
      calls.total = 0;
      calls.registerForModule = 0;
    },
    stop: () => apollo.stop(),
  };
}

/**
 * The Redis URL for the Redis cases. In CI (`CI=true`) a missing `REDIS_URL` fails the run,
 * since nothing may be skipped there; elsewhere the caller skips the case.
 */
export function redisUrlForTests(): string | undefined {
  const url = process.env['REDIS_URL'];
  if (!url && process.env['CI'] === 'true') {
    throw new Error(
      'CI must run the rate-limit tests against real Redis, but REDIS_URL is not set. Start it with infra/start.sh and eval "$(bash infra/env.sh)".',
    );
  }
  return url;
}

/** A Redis connection for one test file, with a key prefix of its own that it deletes on close. */
export interface TestRedis {
  redis: Redis;
  /** Starts with `ratelimit:`, as every rate-limit key must. */
  keyPrefix: string;
  /** The keys under this file's prefix. */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

/** Connects to the test Redis and waits until it answers. */
export async function connectTestRedis(url: string): Promise<TestRedis> {
  const redis = connectRedis(url);
  await redis.ping();
  const keyPrefix = `ratelimit:test-${randomUUID()}`;
  const keys = async () => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };
  return {
    redis,
    keyPrefix,
    keys,
    async close() {
      const created = await keys();
      if (created.length > 0) await redis.del(...created);
      await redis.quit();
    },
  };
}

/** A fresh documentation-range address (RFC 5737), so tests do not share counters. */
export function testAddress(): string {
  const n = Math.floor(Math.random() * 254) + 1;
  const m = Math.floor(Math.random() * 254) + 1;
  return `198.51.${n}.${m}`;
}

/** A query nested `levels` deep: `modules`, then `prerequisites` of one, down to `code`. */
export function nestedQuery(levels: number): string {
  let selection = 'code';
  for (let level = 2; level < levels; level += 1) {
    selection = `prerequisites(first: 1) { ${selection} }`;
  }
  return `{ modules(first: 1) { ${selection} } }`;
}

/** A query with `count` aliases of `field`. */
export function aliasedQuery(count: number, field: string, operation = ''): string {
  const fields = Array.from({ length: count }, (_, i) => `a${i}: ${field}`);
  return `${operation} { ${fields.join(' ')} }`;
}

/** A mutation that registers `count` times, each under its own alias. */
export function registrationMutation(count: number): string {
  return aliasedQuery(count, 'registerForModule(moduleCode: "COMP1001") { id }', 'mutation');
}

function viewerOf(role: string | undefined, subject: string | undefined): Viewer {
  if (!role || role === 'anonymous') return ANONYMOUS;
  return {
    kind: 'user',
    subject: subject ?? `${role}-1`,
    roles: [role as Role],
    sessionId: 'test',
  };
}

function createResolvers(calls: ResolverCalls) {
  const count = <T>(value: T) => {
    calls.total += 1;
    return value;
  };
  const module = (code: string) => ({ code, title: `Module ${code}` });
  return {
    Query: {
      modules: (_: unknown, args: { first?: number }) =>
        count(Array.from({ length: Math.min(args.first ?? 3, 3) }, (_, i) => module(`M${i}`))),
      module: (_: unknown, args: { code: string }) => count(module(args.code)),
    },
    Module: {
      prerequisites: () => count([]),
      registrations: () => count([]),
    },
    Mutation: {
      registerForModule: (_: unknown, args: { moduleCode: string }) => {
        calls.registerForModule += 1;
        return count({ id: randomUUID(), status: 'PENDING', module: module(args.moduleCode) });
      },
    },
  };
}
