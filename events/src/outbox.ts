import type { EntityManager } from 'typeorm';
import { topicOf } from './catalogue.js';
import type { RegistrarEvent } from './catalogue.js';

/**
 * The DDL of the transactional outbox and of the record of handled events, for each emitting or
 * consuming service's migrations. Both live in the service's own database, so the state change,
 * its events and "this event was handled" commit in one transaction.
 */
export const OUTBOX_DDL = [
  // seq, not created_at, orders the rows: every row of one transaction shares its now().
  `CREATE TABLE IF NOT EXISTS outbox (
     seq bigserial UNIQUE,
     id uuid PRIMARY KEY,
     topic varchar(100) NOT NULL,
     key varchar(100) NOT NULL,
     envelope jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     published_at timestamptz
   )`,
  `CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`,
  `CREATE TABLE IF NOT EXISTS processed_events (
     consumer varchar(100) NOT NULL,
     event_id uuid NOT NULL,
     handled_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (consumer, event_id)
   )`,
];

/** Adds an event to the outbox inside the caller's transaction; the relay publishes it. */
export async function appendToOutbox(manager: EntityManager, event: RegistrarEvent): Promise<void> {
  await manager.query(`INSERT INTO outbox (id, topic, key, envelope) VALUES ($1, $2, $3, $4)`, [
    event.id,
    topicOf(event.type),
    event.key,
    JSON.stringify(event),
  ]);
}

/**
 * Runs `work` and records that `consumer` handled `eventId`, in one transaction. A redelivered
 * event finds its record and changes nothing. Returns whether the work ran.
 */
export async function handleOnce(
  manager: EntityManager,
  consumer: string,
  eventId: string,
  work: (manager: EntityManager) => Promise<void>,
): Promise<boolean> {
  return manager.transaction(async (transaction) => {
    const claimed: unknown[] = await transaction.query(
      `INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, eventId],
    );
    if (claimed.length === 0) return false;
    await work(transaction);
    return true;
  });
}
