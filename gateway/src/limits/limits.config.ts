import { ROLES } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';

/** The roles that limits are set for: every role of the system, and callers without a session. */
export const LIMIT_ROLES = ['anonymous', ...ROLES] as const;
/** One of {@link LIMIT_ROLES}. */
export type LimitRole = (typeof LIMIT_ROLES)[number];

/** What one operation may ask for, checked after validation and before query planning. */
export interface OperationLimits {
  /**
   * The deepest nesting of fields; fragments count as if inlined.
   * @default 10 (anonymous 8, staff and admin 15)
   */
  maxDepth: number;
  /**
   * Aliased fields in the operation (`__typename` aliases are free).
   * @default 15 (anonymous 10, staff and admin 30)
   */
  maxAliases: number;
  /** Directives used in the operation, such as `@include`. @default 20 (anonymous 10) */
  maxDirectives: number;
  /** Lexical tokens in the whole document. @default 2000 (anonymous 1000, staff and admin 5000) */
  maxTokens: number;
  /**
   * The estimated cost: every field costs 1, and a list multiplies the cost of what it selects by
   * its `first`/`last` argument, its size hint, or {@link LimitsConfig.defaultListSize}.
   * @default 10000 (anonymous 5000, staff and admin 50000)
   */
  maxCost: number;
  /** The largest `first`/`last` page a list may ask for. @default 100 */
  maxPageSize: number;
  /** May run `__schema` and `__type` introspection. @default false (true for staff and admin) */
  introspection: boolean;
  /**
   * Sees "Did you mean …" suggestions in validation errors.
   * @default false (true for staff and admin)
   */
  fieldSuggestions: boolean;
}

/** A number of points in a fixed window. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

/** The rate limits, counted in the shared store so that every gateway instance sees one count. */
export interface RateLimits {
  /**
   * GraphQL operations (each of a batch) per client IP, for callers without a session.
   * @default 600 a minute
   */
  operationsPerIp: RateLimit;
  /** GraphQL operations (each of a batch) per signed-in user. @default 300 a minute */
  operationsPerUser: RateLimit;
  /**
   * Counts signed-in operations against the client IP too. Off by default: a campus network puts
   * thousands of students behind one address, and each of them already has a per-user limit.
   * @default false
   */
  countSignedInOperationsPerIp: boolean;
  /**
   * Per mutation field, calls per client IP: every aliased call and every operation of a batch
   * counts. When the store is down these mutations are refused (fail closed).
   * @default { registerForModule: 100 a minute }
   */
  mutationsPerIp: Readonly<Record<string, RateLimit>>;
  /** Failed sign-ins per account (the username, hashed). @default 5 in 15 minutes */
  loginFailuresPerAccount: RateLimit;
  /**
   * Failed sign-ins per client IP, across accounts (credential stuffing).
   * @default 50 in 15 minutes
   */
  loginFailuresPerIp: RateLimit;
}

/**
 * Which proxies' `X-Forwarded-For` to believe, as Express's `trust proxy` setting: `false` uses
 * the socket's address; a number trusts that many hops; addresses or subnets (or `'loopback'`,
 * `'linklocal'`, `'uniquelocal'`) trust those proxies; `true` believes the left-most address,
 * which any client can forge, so use it only behind a proxy that overwrites the header.
 */
export type TrustProxy = boolean | number | string | readonly string[];

/** Every limit of the gateway, in one typed object. */
export interface LimitsConfig {
  roles: Readonly<Record<LimitRole, Readonly<OperationLimits>>>;
  /**
   * The assumed size of a list without `first`/`last` (the subgraphs' default page size).
   * @default 20
   */
  defaultListSize: number;
  /**
   * Better sizes for unpaginated lists that are known to be short, by `Type.field`.
   * @default { 'Module.timetable': 10, 'Registration.history': 10 }
   */
  listSizeHints: Readonly<Record<string, number>>;
  /** Operations in one batched HTTP request (a JSON array). @default 5 */
  maxBatchSize: number;
  rateLimits: Readonly<RateLimits>;
  /** @default false */
  trustProxy: TrustProxy;
  /** The first part of every rate-limit key in the store. @default 'ratelimit' */
  keyPrefix: string;
}

/** Changes to the defaults; anything left out keeps its default. */
export interface LimitsOverrides {
  roles?: Partial<Record<LimitRole, Partial<OperationLimits>>>;
  defaultListSize?: number;
  listSizeHints?: Record<string, number>;
  maxBatchSize?: number;
  rateLimits?: Partial<RateLimits>;
  trustProxy?: TrustProxy;
  keyPrefix?: string;
}

const MINUTE = 60;

const SIGNED_IN: OperationLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 10_000,
  maxPageSize: 100,
  introspection: false,
  fieldSuggestions: false,
};

// Staff run ad-hoc queries in the explorer: the standard introspection query alone is 13 levels
// deep with its type references.
const SCHEMA_EXPLORER: OperationLimits = {
  ...SIGNED_IN,
  maxDepth: 15,
  maxAliases: 30,
  maxTokens: 5000,
  maxCost: 50_000,
  introspection: true,
  fieldSuggestions: true,
};

/** The defaults of {@link LimitsConfig}. */
export const DEFAULT_LIMITS: LimitsConfig = {
  roles: {
    anonymous: {
      ...SIGNED_IN,
      maxDepth: 8,
      maxAliases: 10,
      maxDirectives: 10,
      maxTokens: 1000,
      maxCost: 5000,
    },
    student: SIGNED_IN,
    // TODO: partners are to be limited to persisted operations with per-client limits
    // (DESIGN.md); until then they get a student's limits.
    partner: SIGNED_IN,
    finance: SIGNED_IN,
    staff: SCHEMA_EXPLORER,
    admin: SCHEMA_EXPLORER,
  },
  defaultListSize: 20,
  listSizeHints: { 'Module.timetable': 10, 'Registration.history': 10 },
  maxBatchSize: 5,
  rateLimits: {
    operationsPerIp: { points: 600, durationSeconds: MINUTE },
    operationsPerUser: { points: 300, durationSeconds: MINUTE },
    countSignedInOperationsPerIp: false,
    mutationsPerIp: { registerForModule: { points: 100, durationSeconds: MINUTE } },
    loginFailuresPerAccount: { points: 5, durationSeconds: 15 * MINUTE },
    loginFailuresPerIp: { points: 50, durationSeconds: 15 * MINUTE },
  },
  trustProxy: false,
  keyPrefix: 'ratelimit',
};

/**
 * Applies overrides to {@link DEFAULT_LIMITS} and checks the result. Throws an error naming the
 * setting when a number is not a positive integer, so a wrong setting stops the gateway at start.
 */
export function resolveLimitsConfig(overrides: LimitsOverrides = {}): LimitsConfig {
  const roles = Object.fromEntries(
    LIMIT_ROLES.map((role) => [
      role,
      { ...DEFAULT_LIMITS.roles[role], ...overrides.roles?.[role] },
    ]),
  ) as Record<LimitRole, OperationLimits>;
  const config: LimitsConfig = {
    ...DEFAULT_LIMITS,
    ...overrides,
    roles,
    listSizeHints: { ...DEFAULT_LIMITS.listSizeHints, ...overrides.listSizeHints },
    rateLimits: { ...DEFAULT_LIMITS.rateLimits, ...overrides.rateLimits },
  };
  assertValidConfig(config);
  return config;
}

/**
 * The role whose limits apply to a viewer: `anonymous` without a session, otherwise the most
 * trusted of the viewer's roles (a user without roles gets a student's limits).
 */
export function limitRoleOf(viewer: Viewer): LimitRole {
  if (viewer.kind === 'anonymous') return 'anonymous';
  const ranks = viewer.roles.map((role) => ROLES.indexOf(role));
  return ROLES[Math.max(0, ...ranks)] ?? 'student';
}

/** The largest token limit of any role: the parser's hard ceiling, before the role is known. */
export function maxTokensOfAnyRole(config: LimitsConfig): number {
  return Math.max(...LIMIT_ROLES.map((role) => config.roles[role].maxTokens));
}

function assertValidConfig(config: LimitsConfig): void {
  for (const role of LIMIT_ROLES) {
    const limits = config.roles[role];
    for (const name of [
      'maxDepth',
      'maxAliases',
      'maxDirectives',
      'maxTokens',
      'maxCost',
      'maxPageSize',
    ] as const) {
      assertPositiveInteger(`roles.${role}.${name}`, limits[name]);
    }
  }
  assertPositiveInteger('defaultListSize', config.defaultListSize);
  assertPositiveInteger('maxBatchSize', config.maxBatchSize);
  for (const [field, size] of Object.entries(config.listSizeHints)) {
    assertPositiveInteger(`listSizeHints.${field}`, size);
  }
  const { mutationsPerIp, countSignedInOperationsPerIp: _flag, ...windows } = config.rateLimits;
  const named = { ...windows, ...prefixKeys('mutationsPerIp.', mutationsPerIp) };
  for (const [name, limit] of Object.entries(named)) {
    assertPositiveInteger(`rateLimits.${name}.points`, limit.points);
    assertPositiveInteger(`rateLimits.${name}.durationSeconds`, limit.durationSeconds);
  }
  if (!/^[\w:-]+$/.test(config.keyPrefix)) {
    throw new Error(`The limits setting keyPrefix must be letters, digits, "_", "-" or ":".`);
  }
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`The limits setting ${name} must be a positive integer; it is ${value}.`);
  }
}

function prefixKeys<T>(prefix: string, record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [prefix + key, value]));
}
