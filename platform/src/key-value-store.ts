import { Redis } from 'ioredis';

/**
 * The shared, expiring key-value state of the gateway (sessions, rate-limit counters, persisted
 * queries). Redis implements it for real deployments; an in-memory map for the single-node
 * embedded default. Both honour the same TTL and atomicity contract.
 */
export interface KeyValueStore {
  /** Returns the value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores a value that expires after `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Stores the value only if the key is absent; returns whether it was stored. Atomic. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Deletes a key; returns whether it existed. Atomic, so two callers cannot both claim it. */
  delete(key: string): Promise<boolean>;
  /** Increments a counter, starting its window of `ttlSeconds` on first use. Atomic. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Adds a member to a set whose lifetime is extended to `ttlSeconds`. */
  addToSet(key: string, member: string, ttlSeconds: number): Promise<void>;
  /** Removes a member from a set. */
  removeFromSet(key: string, member: string): Promise<void>;
  /** The members of a set; empty when absent. */
  setMembers(key: string): Promise<string[]>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to Redis at `url` (redis://host:port). Commands wait for the connection while it is
 * (re)established, but give up after one retry, so that a Redis outage fails a request quickly
 * instead of holding it. The caller owns the client and quits it on shutdown.
 */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  // ioredis emits connection errors as events; callers see them as rejected commands instead.
  redis.on('error', () => undefined);
  return redis;
}

/** Creates a store over a Redis client; `close` quits the client. */
export function createRedisStore(redis: Redis): KeyValueStore {
  return {
    async get(key) {
      return (await redis.get(key)) ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', ttlSeconds);
    },
    async setIfAbsent(key, value, ttlSeconds) {
      return (await redis.set(key, value, 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async delete(key) {
      return (await redis.del(key)) === 1;
    },
    async increment(key, ttlSeconds) {
      const [[, count]] = (await redis.multi().incr(key).expire(key, ttlSeconds, 'NX').exec()) as [
        [Error | null, number],
      ];
      return count;
    },
    async addToSet(key, member, ttlSeconds) {
      await redis.multi().sadd(key, member).expire(key, ttlSeconds).exec();
    },
    async removeFromSet(key, member) {
      await redis.srem(key, member);
    },
    async setMembers(key) {
      return redis.smembers(key);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

interface MemoryEntry {
  value: string;
  members?: Set<string>;
  expiresAt: number;
}

/**
 * Creates an in-memory store for one process. Expiry is checked on read and swept every
 * minute, so memory stays bounded by the live keys.
 */
export function createMemoryStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, MemoryEntry>();
  const sweep = setInterval(() => {
    const time = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= time) entries.delete(key);
  }, 60_000);
  sweep.unref();

  const live = (key: string): MemoryEntry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const put = (key: string, value: string, ttlSeconds: number): void => {
    entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
  };

  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlSeconds) {
      put(key, value, ttlSeconds);
    },
    async setIfAbsent(key, value, ttlSeconds) {
      if (live(key)) return false;
      put(key, value, ttlSeconds);
      return true;
    },
    async delete(key) {
      return live(key) !== undefined && entries.delete(key);
    },
    async increment(key, ttlSeconds) {
      const entry = live(key);
      if (!entry) {
        put(key, '1', ttlSeconds);
        return 1;
      }
      entry.value = String(Number(entry.value) + 1);
      return Number(entry.value);
    },
    async addToSet(key, member, ttlSeconds) {
      const members = live(key)?.members ?? new Set<string>();
      members.add(member);
      entries.set(key, { value: '', members, expiresAt: now() + ttlSeconds * 1000 });
    },
    async removeFromSet(key, member) {
      live(key)?.members?.delete(member);
    },
    async setMembers(key) {
      return [...(live(key)?.members ?? [])];
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
