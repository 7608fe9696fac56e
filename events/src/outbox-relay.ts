import type { Logger } from '@registrar/platform';
import type { DataSource } from 'typeorm';
import type { EventBus } from './event-bus.js';
import type { EnvelopeSigner } from './envelope-signing.js';

/** Options of {@link startOutboxRelay}. */
export interface OutboxRelayOptions {
  /** The emitting service's database, holding its `outbox` table. */
  dataSource: DataSource;
  bus: EventBus;
  /** Signs each envelope as the producing service before it leaves the database. */
  signer: EnvelopeSigner;
  logger: Logger;
  /** Rows published per round. @default 200 */
  batchSize?: number;
  /** How often the outbox is polled when nothing nudges the relay. @default 250 */
  pollIntervalMs?: number;
}

/** A running relay. */
export interface OutboxRelay {
  /** Publishes what is waiting now, without waiting for the next poll. */
  nudge(): void;
  /** Publishes until the outbox is empty; returns how many rows were published. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  envelope: unknown;
}

/**
 * Publishes outbox rows to the bus in commit order and marks them sent. Rows are locked with
 * SKIP LOCKED so several relays can share one outbox; a failed publish leaves them for the next
 * round (the bus being down delays events, never loses them), and a crash after publishing but
 * before marking sends them again, which idempotent consumers absorb.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 200;
  const pollMs = options.pollIntervalMs ?? 250;
  let stopped = false;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  const publishBatch = async (): Promise<number> =>
    options.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, topic, key, envelope FROM outbox WHERE published_at IS NULL
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      for (const [topic, group] of groupByTopic(rows)) {
        const messages = await Promise.all(
          group.map(async (row) => ({
            key: row.key,
            value: Buffer.from(await options.signer.sign(row.envelope)),
          })),
        );
        await options.bus.publish(topic, messages);
      }
      await manager.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1)`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });

  const drain = async (): Promise<number> => {
    let total = 0;
    for (let published = await publishBatch(); published > 0; published = await publishBatch()) {
      total += published;
    }
    return total;
  };

  const round = async (): Promise<void> => {
    if (stopped || running) return;
    running = drain();
    try {
      await running;
      failures = 0;
    } catch (error) {
      failures += 1;
      // One warning per outage, not one per poll.
      if (failures === 1)
        options.logger.warn(
          { err: error },
          'outbox relay cannot publish; events wait in the outbox',
        );
    } finally {
      running = undefined;
      schedule();
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    // Back off while the bus is down, up to ten seconds between tries.
    timer = setTimeout(() => void round(), Math.min(10_000, pollMs * 2 ** Math.min(failures, 6)));
  };

  schedule();
  return {
    nudge: () => void round(),
    async drain() {
      while (running) await running.catch(() => 0);
      return drain();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}

function groupByTopic(rows: OutboxRow[]): Map<string, OutboxRow[]> {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) groups.set(row.topic, [...(groups.get(row.topic) ?? []), row]);
  return groups;
}
