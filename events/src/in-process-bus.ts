import { invariant } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import { sendToDeadLetter } from './dead-letter.js';
import type { BusMessage, EventBus, MessageHandler, SubscribeOptions } from './event-bus.js';
import { deliverMessage, resolveDeliveryPolicy } from './message-delivery.js';
import type { DeliveryPolicy } from './message-delivery.js';
import { createTopicLog } from './topic-log.js';
import type { StoredRecord, TopicLog } from './topic-log.js';

/** Options of {@link createInProcessBus}. */
export interface InProcessBusOptions {
  /** Partitions per topic: how many messages one group handles at once per topic. @default 3 */
  partitions?: number;
  /** Messages retained per topic for groups that subscribe later. @default 10_000 */
  maxRetainedPerTopic?: number;
  logger: Logger;
}

interface Member {
  topics: ReadonlySet<string>;
  handler: MessageHandler;
  policy: DeliveryPolicy;
  controller: AbortController;
  inFlight: Set<Promise<boolean>>;
}

interface Group {
  id: string;
  /** In join order; partition p of a topic belongs to member p mod (members on that topic). */
  members: Member[];
  /** Per topic, the next offset to deliver in each partition: the group's committed position. */
  cursors: Map<string, number[]>;
  /** The topic-partitions that have a drain loop running; at most one each. */
  draining: Set<string>;
}

interface BusState {
  partitions: number;
  maxRetained: number;
  logger: Logger;
  logs: Map<string, TopicLog>;
  groups: Map<string, Group>;
  drains: Set<Promise<void>>;
  closing?: Promise<void>;
}

interface Delivery {
  group: Group;
  member: Member;
  topic: string;
  partition: number;
  record: StoredRecord;
}

const DEFAULT_PARTITIONS = 3;
const DEFAULT_MAX_RETAINED = 10_000;

/**
 * Creates the single-node bus of the embedded default. It keeps Kafka's contract inside one
 * process: keys hash to partitions, each group handles one message per partition at a time, in
 * order, with retries, dead-lettering and a committed position per group. Nothing survives a
 * restart, so it is no substitute for Kafka across processes.
 */
export function createInProcessBus(options: InProcessBusOptions): EventBus {
  const state: BusState = {
    partitions: options.partitions ?? DEFAULT_PARTITIONS,
    maxRetained: options.maxRetainedPerTopic ?? DEFAULT_MAX_RETAINED,
    logger: options.logger.child({ component: 'in-process-bus' }),
    logs: new Map(),
    groups: new Map(),
    drains: new Set(),
  };
  invariant(Number.isInteger(state.partitions) && state.partitions >= 1, 'partitions must be ≥ 1');
  invariant(state.maxRetained >= 1, 'maxRetainedPerTopic must be 1 or more');

  return {
    async publish(topic, messages) {
      invariant(!state.closing, 'The in-process bus is closed; publish before closing it.');
      appendMessages(state, topic, messages);
    },
    async subscribe(subscribeOptions) {
      invariant(!state.closing, 'The in-process bus is closed; subscribe before closing it.');
      return addMember(state, subscribeOptions);
    },
    close() {
      state.closing ??= closeBus(state);
      return state.closing;
    },
  };
}

function logOf(state: BusState, topic: string): TopicLog {
  let log = state.logs.get(topic);
  if (!log) {
    log = createTopicLog({ partitions: state.partitions, maxRetained: state.maxRetained });
    state.logs.set(topic, log);
  }
  return log;
}

function groupOf(state: BusState, groupId: string): Group {
  let group = state.groups.get(groupId);
  if (!group) {
    group = { id: groupId, members: [], cursors: new Map(), draining: new Set() };
    state.groups.set(groupId, group);
  }
  return group;
}

function appendMessages(state: BusState, topic: string, messages: BusMessage[]): void {
  const log = logOf(state, topic);
  const touched = new Set<number>();
  for (const message of messages) {
    // Copied so a publisher that reuses its buffers cannot change what consumers see.
    touched.add(log.append({ ...message, value: Buffer.from(message.value) }));
  }

  for (const group of state.groups.values()) {
    touched.forEach((partition) => scheduleDrain(state, group, topic, partition));
  }
}

function addMember(state: BusState, options: SubscribeOptions): { stop(): Promise<void> } {
  invariant(options.groupId.length > 0, 'groupId must not be empty');
  invariant(options.topics.length > 0, 'topics must name at least one topic');
  const member: Member = {
    topics: new Set(options.topics),
    handler: options.handler,
    policy: resolveDeliveryPolicy(options),
    controller: new AbortController(),
    inFlight: new Set(),
  };
  const group = groupOf(state, options.groupId);

  member.topics.forEach((topic) => startCursor(state, group, topic, options.fromBeginning));
  group.members.push(member);
  member.topics.forEach((topic) => {
    for (let partition = 0; partition < state.partitions; partition += 1) {
      scheduleDrain(state, group, topic, partition);
    }
  });
  state.logger.info({ groupId: group.id, topics: options.topics }, 'Subscribed');

  let stopping: Promise<void> | undefined;
  return { stop: () => (stopping ??= removeMember(group, member)) };
}

/** Gives a group that has never consumed `topic` its starting position, as Kafka does. */
function startCursor(state: BusState, group: Group, topic: string, fromBeginning = false): void {
  if (group.cursors.has(topic)) {
    return;
  }

  const log = logOf(state, topic);
  const cursor = Array.from({ length: state.partitions }, (_, partition) =>
    fromBeginning ? log.startOffset(partition) : log.endOffset(partition),
  );
  group.cursors.set(topic, cursor);
}

async function removeMember(group: Group, member: Member): Promise<void> {
  const index = group.members.indexOf(member);
  if (index >= 0) {
    group.members.splice(index, 1);
  }

  // Removing the member first hands its partitions over; aborting ends any backoff, and the
  // drain loop then offers the uncommitted message to the partition's next owner.
  member.controller.abort();
  await Promise.allSettled([...member.inFlight]);
}

function ownerOf(group: Group, topic: string, partition: number): Member | undefined {
  const eligible = group.members.filter((member) => member.topics.has(topic));
  return eligible.length === 0 ? undefined : eligible[partition % eligible.length];
}

function scheduleDrain(state: BusState, group: Group, topic: string, partition: number): void {
  const slot = `${topic}#${partition}`;
  if (state.closing || group.draining.has(slot) || !group.cursors.has(topic)) {
    return;
  }

  group.draining.add(slot);
  const drain = drainPartition(state, group, topic, partition, slot).catch((error: unknown) => {
    state.logger.error({ err: error, groupId: group.id, topic, partition }, 'Drain loop failed');
  });
  state.drains.add(drain);
  void drain.finally(() => state.drains.delete(drain));
}

/** Delivers a partition's messages to the group one at a time until none is left. */
async function drainPartition(
  state: BusState,
  group: Group,
  topic: string,
  partition: number,
  slot: string,
): Promise<void> {
  // Start on a later tick so that handlers never run inside publish() or subscribe().
  await Promise.resolve();
  try {
    for (;;) {
      const member = ownerOf(group, topic, partition);
      const record =
        member && !state.closing ? readNext(state, group, topic, partition) : undefined;
      if (!member || !record) {
        return;
      }

      const committed = await trackDelivery(state, { group, member, topic, partition, record });
      if (committed) {
        group.cursors.get(topic)![partition] = record.offset + 1;
      }
    }
  } finally {
    // Runs in the same tick as the last check above, so no publish can slip between them.
    group.draining.delete(slot);
  }
}

function readNext(
  state: BusState,
  group: Group,
  topic: string,
  partition: number,
): StoredRecord | undefined {
  const cursor = group.cursors.get(topic)!;
  const log = logOf(state, topic);
  const start = log.startOffset(partition);
  if (cursor[partition]! < start) {
    state.logger.warn(
      { groupId: group.id, topic, partition, dropped: start - cursor[partition]! },
      'Retention dropped messages before this group handled them; raise maxRetainedPerTopic',
    );
    cursor[partition] = start;
  }
  return log.read(partition, cursor[partition]!);
}

async function trackDelivery(state: BusState, delivery: Delivery): Promise<boolean> {
  const settling = settleDelivery(state, delivery);
  delivery.member.inFlight.add(settling);
  try {
    return await settling;
  } finally {
    delivery.member.inFlight.delete(settling);
  }
}

/** Delivers one record; resolves `true` once its offset may be committed. */
async function settleDelivery(state: BusState, delivery: Delivery): Promise<boolean> {
  const { group, member, topic, partition, record } = delivery;
  const message = {
    topic,
    partition,
    offset: String(record.offset),
    key: record.message.key,
    // Each delivery gets its own copies: one group's handler must not change another's input.
    value: Buffer.from(record.message.value),
    headers: { ...record.message.headers },
  };
  const outcome = await deliverMessage({
    message,
    handler: member.handler,
    policy: member.policy,
    signal: member.controller.signal,
    logger: state.logger.child({ groupId: group.id, topic, partition, offset: message.offset }),
  });

  if (outcome.status === 'failed') {
    await sendToDeadLetter({
      message,
      failure: { error: outcome.error, attempts: outcome.attempts, groupId: group.id },
      publish: async (deadLetterTopic, messages) =>
        appendMessages(state, deadLetterTopic, messages),
      logger: state.logger,
    });
  }
  return outcome.status !== 'aborted';
}

async function closeBus(state: BusState): Promise<void> {
  for (const group of state.groups.values()) {
    group.members.forEach((member) => member.controller.abort());
  }

  // A drain loop may still be finishing a handler or a dead-letter publish; wait for all.
  while (state.drains.size > 0) {
    await Promise.allSettled([...state.drains]);
  }
  state.groups.clear();
  state.logs.clear();
}
