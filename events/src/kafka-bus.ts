import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Consumer, EachMessagePayload, IHeaders, Producer } from 'kafkajs';
import { invariant } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import { sendToDeadLetter } from './dead-letter.js';
import type {
  BusMessage,
  ConsumedMessage,
  EventBus,
  SubscribeOptions,
  Subscription,
} from './event-bus.js';
import { createKafkaLogCreator } from './kafka-log-creator.js';
import { deliverMessage, resolveDeliveryPolicy } from './message-delivery.js';
import type { DeliveryPolicy } from './message-delivery.js';
import { deadLetterTopicOf } from './topics.js';

/** Options of {@link createKafkaBus}. */
export interface KafkaBusOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** The client id brokers log and quota by; use the service name. */
  clientId: string;
  logger: Logger;
  /** Partitions of topics this bus creates. @default 3 */
  partitions?: number;
  /** Replication factor of topics this bus creates; 1 suits a single broker only. @default 1 */
  replicationFactor?: number;
}

interface KafkaBusState {
  kafka: Kafka;
  producer: Producer;
  admin: Admin;
  logger: Logger;
  partitions: number;
  replicationFactor: number;
  connecting?: Promise<void>;
  /** Topics known to exist, or being created, so each is checked once per bus. */
  topicsReady: Map<string, Promise<void>>;
  subscriptions: Set<KafkaSubscription>;
  closing?: Promise<void>;
}

interface KafkaSubscription {
  groupId: string;
  consumer: Consumer;
  options: SubscribeOptions;
  policy: DeliveryPolicy;
  controller: AbortController;
  inFlight: Set<Promise<void>>;
  stopping?: Promise<void>;
}

const DEFAULT_PARTITIONS = 3;
const DEFAULT_REPLICATION_FACTOR = 1;

/**
 * Creates the event bus over Kafka. The producer is idempotent with `acks: -1`, so a retried
 * send neither duplicates nor reorders a partition. Each subscription is one consumer that
 * retries a failing message inside its handler (heartbeating between attempts), dead-letters it
 * when the error is not retryable or attempts run out, and commits each offset after handling.
 * Missing topics and their dead-letter topics are created on first use.
 */
export function createKafkaBus(options: KafkaBusOptions): EventBus {
  const logger = options.logger.child({ component: 'kafka-bus' });
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: options.clientId,
    logLevel: logLevel.WARN,
    logCreator: createKafkaLogCreator(options.logger),
  });
  const state: KafkaBusState = {
    kafka,
    // Choosing the partitioner explicitly silences kafkajs's v2 warning; it is murmur2, the
    // same as Java clients, so every producer sends a key to the same partition.
    producer: kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    }),
    admin: kafka.admin(),
    logger,
    partitions: options.partitions ?? DEFAULT_PARTITIONS,
    replicationFactor: options.replicationFactor ?? DEFAULT_REPLICATION_FACTOR,
    topicsReady: new Map(),
    subscriptions: new Set(),
  };

  return {
    async publish(topic, messages) {
      invariant(!state.closing, 'The Kafka bus is closed; publish before closing it.');
      await sendMessages(state, topic, messages);
    },
    async subscribe(subscribeOptions) {
      invariant(!state.closing, 'The Kafka bus is closed; subscribe before closing it.');
      return startSubscription(state, subscribeOptions);
    },
    close() {
      state.closing ??= closeBus(state);
      return state.closing;
    },
  };
}

function connectClients(state: KafkaBusState): Promise<void> {
  state.connecting ??= Promise.all([state.producer.connect(), state.admin.connect()]).then(
    () => undefined,
    (error: unknown) => {
      // Forget the failure so the next call tries again instead of failing forever.
      state.connecting = undefined;
      throw error;
    },
  );
  return state.connecting;
}

async function ensureTopics(state: KafkaBusState, topics: string[]): Promise<void> {
  const missing = topics.filter((topic) => !state.topicsReady.has(topic));
  if (missing.length > 0) {
    const creation = createMissingTopics(state, missing);
    missing.forEach((topic) =>
      state.topicsReady.set(
        topic,
        creation.catch((error: unknown) => {
          state.topicsReady.delete(topic);
          throw error;
        }),
      ),
    );
  }

  await Promise.all(topics.map((topic) => state.topicsReady.get(topic)));
}

async function createMissingTopics(state: KafkaBusState, topics: string[]): Promise<void> {
  // Listing first avoids a CreateTopics call for topics that exist, which kafkajs logs as an error.
  const existing = new Set(await state.admin.listTopics());
  const toCreate = topics.filter((topic) => !existing.has(topic));
  if (toCreate.length === 0) {
    return;
  }

  await state.admin.createTopics({
    waitForLeaders: true,
    topics: toCreate.map((topic) => ({
      topic,
      numPartitions: state.partitions,
      replicationFactor: state.replicationFactor,
    })),
  });
  state.logger.info({ topics: toCreate, partitions: state.partitions }, 'Created topics');
}

async function sendMessages(
  state: KafkaBusState,
  topic: string,
  messages: BusMessage[],
): Promise<void> {
  if (messages.length === 0) {
    return;
  }

  await connectClients(state);
  await ensureTopics(state, [topic]);
  await state.producer.send({
    topic,
    acks: -1,
    messages: messages.map(({ key, value, headers }) => ({ key, value, headers })),
  });
}

async function startSubscription(
  state: KafkaBusState,
  options: SubscribeOptions,
): Promise<Subscription> {
  invariant(options.groupId.length > 0, 'groupId must not be empty');
  invariant(options.topics.length > 0, 'topics must name at least one topic');
  const subscription: KafkaSubscription = {
    groupId: options.groupId,
    consumer: state.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      // Short idle fetches and heartbeats keep stop() and rebalances within about a second; a
      // member that died without leaving is dropped after 10 s instead of kafkajs's 30 s, so its
      // partitions do not sit unconsumed that long.
      maxWaitTimeInMs: 500,
      heartbeatInterval: 1000,
      sessionTimeout: 10_000,
      rebalanceTimeout: 15_000,
    }),
    options,
    policy: resolveDeliveryPolicy(options),
    controller: new AbortController(),
    inFlight: new Set(),
  };

  await connectClients(state);
  await ensureTopics(state, [...options.topics, ...options.topics.map(deadLetterTopicOf)]);
  await runConsumer(state, subscription).catch(async (error: unknown) => {
    await subscription.consumer.disconnect();
    throw error;
  });
  if (state.closing) {
    // close() ran while the consumer was joining and could not see it; stop it here instead.
    await stopSubscription(state, subscription);
    throw new Error('The Kafka bus was closed while subscribing; the subscription was stopped.');
  }
  state.subscriptions.add(subscription);
  state.logger.info({ groupId: options.groupId, topics: options.topics }, 'Subscribed');

  return { stop: () => (subscription.stopping ??= stopSubscription(state, subscription)) };
}

/** Connects the consumer and starts it; kafkajs resolves `run` once the group is joined. */
async function runConsumer(state: KafkaBusState, subscription: KafkaSubscription): Promise<void> {
  const { consumer, options } = subscription;
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
  await consumer.run({
    // Offsets are committed one by one after handling, never ahead of it.
    autoCommit: false,
    // Partitions are handled side by side; each one stays strictly in order.
    partitionsConsumedConcurrently: state.partitions,
    eachMessage: (payload) =>
      trackMessage(subscription, handleKafkaMessage(state, subscription, payload)),
  });
}

async function trackMessage(
  subscription: KafkaSubscription,
  handling: Promise<void>,
): Promise<void> {
  subscription.inFlight.add(handling);
  try {
    await handling;
  } finally {
    subscription.inFlight.delete(handling);
  }
}

async function handleKafkaMessage(
  state: KafkaBusState,
  subscription: KafkaSubscription,
  payload: EachMessagePayload,
): Promise<void> {
  const message = toConsumedMessage(payload);
  const { topic, partition, offset } = message;
  const outcome = await deliverMessage({
    message,
    handler: subscription.options.handler,
    policy: subscription.policy,
    signal: subscription.controller.signal,
    logger: state.logger.child({ groupId: subscription.groupId, topic, partition, offset }),
    beforeRetry: payload.heartbeat,
  });

  // Left uncommitted, the message goes again to whichever consumer of the group gets the
  // partition next; the subscription is stopping, so nothing after it is handled here.
  if (outcome.status === 'aborted') {
    return;
  }
  if (outcome.status === 'failed') {
    await sendToDeadLetter({
      message,
      failure: { error: outcome.error, attempts: outcome.attempts, groupId: subscription.groupId },
      publish: (deadLetterTopic, messages) => sendMessages(state, deadLetterTopic, messages),
      logger: state.logger,
    });
  }
  const next = (BigInt(offset) + 1n).toString();
  await subscription.consumer.commitOffsets([{ topic, partition, offset: next }]);
}

function toConsumedMessage(payload: EachMessagePayload): Omit<ConsumedMessage, 'attempt'> {
  const { topic, partition, message } = payload;
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers: readHeaders(message.headers),
  };
}

/** Flattens Kafka headers to strings; of a repeated header, the last value wins. */
function readHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) {
      result[name] = last.toString();
    }
  }
  return result;
}

async function stopSubscription(
  state: KafkaBusState,
  subscription: KafkaSubscription,
): Promise<void> {
  // Abort first and let running handlers finish while the consumer still runs: kafkajs drops
  // commits once it is stopping, and a handled message should not be handled again.
  subscription.controller.abort();
  await Promise.allSettled([...subscription.inFlight]);
  await subscription.consumer.disconnect();
  state.subscriptions.delete(subscription);
}

async function closeBus(state: KafkaBusState): Promise<void> {
  const stops = [...state.subscriptions].map(
    (subscription) => (subscription.stopping ??= stopSubscription(state, subscription)),
  );
  await Promise.allSettled(stops);
  await Promise.allSettled([state.producer.disconnect(), state.admin.disconnect()]);
}
