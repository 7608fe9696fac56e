import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '@registrar/platform';
import type { RateLimit } from './limits.config.js';

/** What counting one more attempt found. */
export type RateLimitOutcome =
  { kind: 'allowed' } | { kind: 'limited'; retryAfterMs: number } | { kind: 'unavailable' };

/** One window of a rate limit over the shared store. */
export interface RateLimitCounter {
  /** Counts `points` attempts; refuses when the window's points are spent. Never throws. */
  consume(subject: string, points?: number): Promise<RateLimitOutcome>;
  /** Counts attempts without refusing (failed sign-ins). Never throws. */
  add(subject: string): Promise<RateLimitOutcome>;
  /** Tells, without counting, whether the window's points are spent. Never throws. */
  peek(subject: string): Promise<RateLimitOutcome>;
  /** Forgets the subject's count. Never throws; returns whether the store answered. */
  reset(subject: string): Promise<boolean>;
}

/** Creates the counters of every rate limit on one store. */
export interface RateLimitStore {
  /** The counter of `name`, under `<keyPrefix>:<name>:<subject>` in the store. */
  counter(name: string, limit: RateLimit): RateLimitCounter;
  /** Whether the counters are shared by every gateway instance (Redis) or this process's. */
  shared: boolean;
}

/**
 * Creates the rate-limit store: `rate-limiter-flexible` over Redis when a client is given,
 * shared by every gateway instance; otherwise in this process's memory, for the single-node
 * embedded default. Redis calls fail at once while the client is not connected, so an outage
 * costs a request no time; each counter's caller decides whether to fail open or closed.
 */
export function createRateLimitStore(options: {
  redis: Redis | undefined;
  keyPrefix: string;
  logger: Logger;
}): RateLimitStore {
  const outage = createOutageLog(options.logger);
  const { redis } = options;
  const build = (name: string, limit: RateLimit): RateLimiterAbstract => {
    const settings = {
      keyPrefix: `${options.keyPrefix}:${name}`,
      points: limit.points,
      duration: limit.durationSeconds,
    };
    return redis
      ? new RateLimiterRedis({ ...settings, storeClient: redis, rejectIfRedisNotReady: true })
      : new RateLimiterMemory(settings);
  };
  return {
    shared: redis !== undefined,
    counter(name, limit) {
      return createCounter(build(name, limit), limit, outage);
    },
  };
}

/** The SHA-256 of an identifier, in hex: a stable key that does not spell the identifier out. */
export function hashIdentifier(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The key of a username: trimmed and lower-cased, so `S0001 ` and `s0001` share one count. */
export function hashUsername(username: string): string {
  return hashIdentifier(username.trim().toLowerCase());
}

function createCounter(
  limiter: RateLimiterAbstract,
  limit: RateLimit,
  outage: OutageLog,
): RateLimitCounter {
  const attempt = async (work: () => Promise<RateLimiterRes | null>, refuse: boolean) => {
    try {
      const result = await work();
      outage.recovered();
      const spent = refuse && result !== null && result.consumedPoints >= limit.points;
      return spent ? limited(result) : allowed;
    } catch (error) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the points are spent, and with
      // an Error when the store failed.
      if (error instanceof RateLimiterRes) return limited(error);
      outage.failed(error);
      return unavailable;
    }
  };
  return {
    consume(subject, points = 1) {
      return attempt(async () => {
        await limiter.consume(subject, points);
        return null;
      }, false);
    },
    add: (subject) => attempt(() => limiter.penalty(subject, 1), false),
    peek: (subject) => attempt(() => limiter.get(subject), true),
    async reset(subject) {
      const outcome = await attempt(async () => {
        await limiter.delete(subject);
        return null;
      }, false);
      return outcome.kind !== 'unavailable';
    },
  };
}

const allowed: RateLimitOutcome = { kind: 'allowed' };
const unavailable: RateLimitOutcome = { kind: 'unavailable' };
const limited = (result: RateLimiterRes): RateLimitOutcome => ({
  kind: 'limited',
  retryAfterMs: result.msBeforeNext,
});

interface OutageLog {
  failed(error: unknown): void;
  recovered(): void;
}

// One warning when the store stops answering and one line when it answers again, rather than
// one per request for the whole outage.
function createOutageLog(logger: Logger): OutageLog {
  let down = false;
  return {
    failed(error) {
      if (down) return;
      down = true;
      logger.warn(
        { err: error },
        'rate-limit store unreachable: general limits are off and registration and sign-in are refused until it answers; check REDIS_URL and Redis',
      );
    },
    recovered() {
      if (!down) return;
      down = false;
      logger.info('rate-limit store answers again');
    },
  };
}
