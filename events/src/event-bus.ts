/** A message as a producer hands it to a bus. */
export interface BusMessage {
  /** The partition key: messages with one key are handled in the order they were published. */
  key: string;
  /** The message bytes, usually a serialised event envelope. */
  value: Buffer;
  /** String headers; the bus adds none of its own except on dead-lettered copies. */
  headers?: Record<string, string>;
}

/** A message as a bus hands it to a handler. */
export interface ConsumedMessage extends BusMessage {
  /** The topic it was published on. */
  topic: string;
  /** The partition its key maps to; order holds within it. */
  partition: number;
  /** The message's offset in its partition, a decimal string as Kafka reports it. */
  offset: string;
  /** 1 on first delivery to this consumer, then 2, 3 … on each retry. */
  attempt: number;
}

/**
 * Handles one message. Resolving marks it handled. Throwing retries it with exponential backoff,
 * unless the error carries `retryable: false`, which dead-letters it at once. Handlers must be
 * idempotent: delivery is at least once, so a message can arrive again after a crash or
 * rebalance, with `attempt` starting again at 1.
 */
export type MessageHandler = (message: ConsumedMessage) => Promise<void>;

/** How a consumer subscribes. */
export interface SubscribeOptions {
  /**
   * The consumer group. Subscriptions in one group share the partitions, so each message goes
   * to one of them; every group receives every message.
   */
  groupId: string;
  /** The topics to consume. */
  topics: string[];
  /** Called once per delivery attempt; see {@link MessageHandler}. */
  handler: MessageHandler;
  /** Deliveries of one message before it is dead-lettered. @default 5 */
  maxAttempts?: number;
  /** The first retry's delay; each later retry doubles it, up to 30 s. @default 100 */
  retryBackoffMs?: number;
  /**
   * Where a group with no committed position starts: the oldest retained message, or only
   * messages published after it subscribed. A group that has handled messages before always
   * resumes where it stopped. @default false
   */
  fromBeginning?: boolean;
}

/** A running subscription. */
export interface Subscription {
  /**
   * Stops consuming. A handler that is running finishes first; a message waiting for a retry
   * is left uncommitted, so the group delivers it again to its next consumer.
   */
  stop(): Promise<void>;
}

/**
 * A partitioned message bus with at-least-once delivery, per-key order, retries with backoff
 * and a dead-letter topic (`<topic>.dlq`) per topic. A dead-lettered message does not block its
 * partition: later messages keep flowing.
 */
export interface EventBus {
  /** Publishes messages in order; resolves once the bus has accepted all of them. */
  publish(topic: string, messages: BusMessage[]): Promise<void>;
  /** Starts a consumer; resolves once it has joined its group. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Stops every subscription, waiting for running handlers, and releases the bus. */
  close(): Promise<void>;
}
