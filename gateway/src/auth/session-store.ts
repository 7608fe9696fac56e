import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ROLES } from '@registrar/platform';
import type { KeyValueStore, Role } from '@registrar/platform';

/** Who a session belongs to. */
export interface Principal {
  subject: string;
  roles: Role[];
  studentId?: string;
}

/** A live session, as kept in the shared store under `session:<id>`. */
export interface Session extends Principal {
  id: string;
  device: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** A session unused this long ends. @default 1800 (30 minutes) */
  idleSeconds?: number;
  /** No session outlives this, however active. @default 43200 (12 hours) */
  absoluteSeconds?: number;
  now?: () => number;
}

/** Creates, reads and ends sessions; ending one takes effect on the very next request. */
export interface SessionStore {
  create(principal: Principal, device: string): Promise<Session>;
  /** Returns the live session and marks it seen, or `undefined` when ended or expired. */
  touch(id: string): Promise<Session | undefined>;
  end(id: string): Promise<void>;
}

const sessionSchema = z.object({
  id: z.string(),
  subject: z.string(),
  roles: z.array(z.enum(ROLES)),
  studentId: z.string().optional(),
  device: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
});

/** Creates the session store over the shared key-value store (Redis, or memory when embedded). */
export function createSessionStore(
  store: KeyValueStore,
  options: SessionStoreOptions = {},
): SessionStore {
  const idle = options.idleSeconds ?? 1800;
  const absolute = options.absoluteSeconds ?? 43_200;
  const now = options.now ?? Date.now;
  const keyOf = (id: string) => `session:${id}`;
  const ttlOf = (session: Session) =>
    Math.max(1, Math.min(idle, Math.floor((session.createdAt + absolute * 1000 - now()) / 1000)));

  return {
    async create(principal, device) {
      const time = now();
      const session: Session = {
        ...principal,
        id: randomUUID(),
        device: device.slice(0, 120),
        createdAt: time,
        lastSeenAt: time,
      };
      await store.set(keyOf(session.id), JSON.stringify(session), ttlOf(session));
      return session;
    },
    async touch(id) {
      const text = await store.get(keyOf(id));
      if (!text) return undefined;
      const session: Session = sessionSchema.parse(JSON.parse(text));
      if (session.createdAt + absolute * 1000 <= now()) {
        await store.delete(keyOf(id));
        return undefined;
      }
      const seen = { ...session, lastSeenAt: now() };
      await store.set(keyOf(id), JSON.stringify(seen), ttlOf(seen));
      return seen;
    },
    async end(id) {
      await store.delete(keyOf(id));
    },
  };
}
