import { createHash, randomBytes, randomUUID } from 'node:crypto';
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

/** The outcome of presenting a refresh token. */
export type RefreshOutcome =
  | { kind: 'rotated'; session: Session; refreshToken: string }
  /** The token was used before: its session (the whole family of that login) has been ended. */
  | { kind: 'reused'; sessionId: string; subject: string }
  /** Unknown, expired, or lost a race with a concurrent refresh of the same token. */
  | { kind: 'invalid' };

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** A session unused this long ends. @default 1800 (30 minutes) */
  idleSeconds?: number;
  /** No session outlives this, however active. @default 43200 (12 hours) */
  absoluteSeconds?: number;
  /**
   * A second use of a refresh token this soon after the first is a client racing itself (two
   * tabs), answered as invalid; later, it is theft, and ends the session. @default 10
   */
  reuseGraceSeconds?: number;
  now?: () => number;
}

/** Creates, reads and ends sessions; ending one takes effect on the very next request. */
export interface SessionStore {
  create(principal: Principal, device: string): Promise<Session>;
  /** Returns the live session and marks it seen, or `undefined` when ended or expired. */
  touch(id: string): Promise<Session | undefined>;
  end(id: string): Promise<void>;
  /** The live sessions of one subject, newest first. */
  list(subject: string): Promise<Session[]>;
  /** Ends every session of a subject but `exceptId`; returns how many ended. */
  endAll(subject: string, exceptId?: string): Promise<number>;
  /** Issues the session's refresh token (at least 256 random bits), replacing any earlier one. */
  issueRefreshToken(session: Session): Promise<string>;
  /** Claims a refresh token atomically and rotates it; see {@link RefreshOutcome}. */
  rotateRefreshToken(token: string): Promise<RefreshOutcome>;
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
const claimSchema = z.object({ sessionId: z.string(), subject: z.string(), claimedAt: z.number() });

const sessionKey = (id: string) => `session:${id}`;
const subjectKey = (subject: string) => `sessions-of:${subject}`;
// Refresh tokens are stored by hash, so a read of the store does not yield usable tokens.
const refreshKey = (token: string) =>
  `refresh:${createHash('sha256').update(token).digest('base64url')}`;
const usedKey = (token: string) =>
  `refresh-used:${createHash('sha256').update(token).digest('base64url')}`;

/** Creates the session store over the shared key-value store (Redis, or memory when embedded). */
export function createSessionStore(
  store: KeyValueStore,
  options: SessionStoreOptions = {},
): SessionStore {
  const idle = options.idleSeconds ?? 1800;
  const absolute = options.absoluteSeconds ?? 43_200;
  const grace = options.reuseGraceSeconds ?? 10;
  const now = options.now ?? Date.now;
  const remaining = (session: Session) =>
    Math.floor((session.createdAt + absolute * 1000 - now()) / 1000);
  const ttlOf = (session: Session) => Math.max(1, Math.min(idle, remaining(session)));

  const read = async (id: string): Promise<Session | undefined> => {
    const text = await store.get(sessionKey(id));
    return text ? sessionSchema.parse(JSON.parse(text)) : undefined;
  };
  const end = async (id: string): Promise<void> => {
    const session = await read(id);
    await store.delete(sessionKey(id));
    if (session) await store.removeFromSet(subjectKey(session.subject), id);
  };
  const touch = async (id: string): Promise<Session | undefined> => {
    const session = await read(id);
    if (!session) return undefined;
    if (remaining(session) <= 0) {
      await end(id);
      return undefined;
    }
    const seen = { ...session, lastSeenAt: now() };
    await store.set(sessionKey(id), JSON.stringify(seen), ttlOf(seen));
    return seen;
  };

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
      await store.set(sessionKey(session.id), JSON.stringify(session), ttlOf(session));
      await store.addToSet(subjectKey(session.subject), session.id, absolute);
      return session;
    },
    touch,
    end,
    async list(subject) {
      const ids = await store.setMembers(subjectKey(subject));
      const sessions = await Promise.all(ids.map(read));
      const live = sessions.filter((s): s is Session => s !== undefined && remaining(s) > 0);
      return live.sort((a, b) => b.createdAt - a.createdAt);
    },
    async endAll(subject, exceptId) {
      const ids = (await store.setMembers(subjectKey(subject))).filter((id) => id !== exceptId);
      await Promise.all(ids.map(end));
      return ids.length;
    },
    async issueRefreshToken(session) {
      const token = randomBytes(32).toString('base64url');
      const claim = { sessionId: session.id, subject: session.subject };
      await store.set(refreshKey(token), JSON.stringify(claim), Math.max(1, remaining(session)));
      return token;
    },
    async rotateRefreshToken(token) {
      // The used-marker is the atomic claim: of two concurrent refreshes exactly one sets it.
      const stored = await store.get(refreshKey(token));
      const claim = stored
        ? claimSchema.omit({ claimedAt: true }).parse(JSON.parse(stored))
        : undefined;
      const marker = JSON.stringify({ ...claim, claimedAt: now() });
      if (claim && (await store.setIfAbsent(usedKey(token), marker, absolute))) {
        await store.delete(refreshKey(token));
        const session = await touch(claim.sessionId);
        if (!session) return { kind: 'invalid' };
        return { kind: 'rotated', session, refreshToken: await this.issueRefreshToken(session) };
      }
      return detectReuse(token);
    },
  };

  async function detectReuse(token: string): Promise<RefreshOutcome> {
    const text = await store.get(usedKey(token));
    if (!text) return { kind: 'invalid' };
    const used = claimSchema.parse(JSON.parse(text));
    if (now() - used.claimedAt < grace * 1000) return { kind: 'invalid' };
    await end(used.sessionId);
    return { kind: 'reused', sessionId: used.sessionId, subject: used.subject };
  }
}
