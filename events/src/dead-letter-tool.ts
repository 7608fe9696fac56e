import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Consumer, KafkaMessage, Producer } from 'kafkajs';
import { z } from 'zod';
import { invariant } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import { DEAD_LETTER_HEADERS } from './dead-letter.js';
import { EVENT_HEADERS } from './envelope.js';
import { createKafkaLogCreator } from './kafka-log-creator.js';
import { deadLetterTopicOf } from './topics.js';

/** Every code a {@link DeadLetterToolError} can carry, with what the operator should do. */
export const DEAD_LETTER_TOOL_ERROR_CODES = {
  TOPIC_NOT_FOUND: { description: 'A topic the command needs does not exist on the brokers.' },
  DEAD_LETTER_NOT_FOUND: { description: 'No dead letter sits at the given partition and offset.' },
  ALREADY_REPLAYED: { description: 'The dead letter was replayed before; force to repeat it.' },
  NOT_REPLAYABLE: { description: 'The dead letter does not name the topic it came from.' },
  READ_TIMED_OUT: { description: 'Reading a topic up to its end took longer than allowed.' },
} as const satisfies Record<string, { description: string }>;

/** A code from {@link DEAD_LETTER_TOOL_ERROR_CODES}. */
export type DeadLetterToolErrorCode = keyof typeof DEAD_LETTER_TOOL_ERROR_CODES;

/** An operator mistake or an expected refusal; its message is a sentence fit to print. */
export class DeadLetterToolError extends Error {
  readonly code: DeadLetterToolErrorCode;

  constructor(code: DeadLetterToolErrorCode, message: string) {
    super(message);
    this.name = 'DeadLetterToolError';
    this.code = code;
  }
}

/** The topic replays are recorded on, keyed `<dlq topic>/<partition>/<offset>`. */
export const REPLAY_LOG_TOPIC = 'dead-letters.replayed';

/** The header a replayed message carries: `<dlq topic>/<partition>/<offset>`. */
export const REPLAYED_FROM_HEADER = 'x-replayed-from';

/** Options of {@link createDeadLetterTool}. */
export interface DeadLetterToolOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  logger: Logger;
  /** The client id brokers log and quota by. @default 'dead-letter-tool' */
  clientId?: string;
  /** The compacted topic replays are recorded on. @default {@link REPLAY_LOG_TOPIC} */
  replayLogTopic?: string;
  /** How long one read may take to reach the end of its topics. @default 30_000 */
  readTimeoutMs?: number;
  /** Replication factor of the replay log if the tool creates it. @default 1 */
  replicationFactor?: number;
}

/** The failure a dead letter's `x-dlq-*` headers describe; a missing or garbled one is absent. */
export interface DeadLetterFailure {
  errorCode?: string;
  errorMessage?: string;
  originalTopic?: string;
  originalPartition?: number;
  originalOffset?: string;
  attempts?: number;
  consumerGroup?: string;
  failedAt?: string;
}

/** A record of one replay, as kept on the replay log. */
export interface ReplayRecord {
  /** `<dlq topic>/<partition>/<offset>` of the dead letter. */
  deadLetter: string;
  /**
   * The dead letter's Kafka timestamp. Offsets restart when a dead-letter topic is recreated, so
   * a record counts for a dead letter only when this matches too.
   */
  deadLetterTimestamp: string;
  originalTopic: string;
  /** Where the replayed copy landed. */
  partition: number;
  offset: string;
  replayedAt: string;
  forced: boolean;
}

/** A dead letter as listed: where it sits, why it failed, what it is. Never its payload. */
export interface DeadLetter {
  /** The dead-letter topic, `<topic>.dlq`. */
  topic: string;
  partition: number;
  offset: string;
  key: string;
  /** When it was dead-lettered, in milliseconds since the epoch, as Kafka reports it. */
  timestamp: string;
  failure: DeadLetterFailure;
  /** The event's type and id, when its value (plain or compact JWS) or headers name them. */
  event?: { type: string; id: string };
  /** Set once the dead letter has been replayed. */
  replay?: ReplayRecord;
}

/** A dead letter with everything it carries, for inspection. */
export interface DeadLetterDetail extends DeadLetter {
  headers: Record<string, string>;
  value: Buffer;
  /** The envelope JSON, payload included, when the value is readable. */
  envelope?: unknown;
}

/** What {@link DeadLetterTool.replayAll} did. */
export interface ReplayAllResult {
  replayed: ReplayRecord[];
  /** Dead letters left alone: replayed before, or naming no original topic. */
  skipped: { deadLetter: string; reason: DeadLetterToolErrorCode }[];
}

/** Reads, inspects and replays the dead letters of a topic. */
export interface DeadLetterTool {
  /** Returns every dead letter on `<topic>.dlq`, oldest first per partition. */
  list(topic: string): Promise<DeadLetter[]>;
  /** Returns one dead letter of `<topic>.dlq` with its value. @throws DEAD_LETTER_NOT_FOUND */
  show(topic: string, partition: number, offset: string): Promise<DeadLetterDetail>;
  /**
   * Publishes a dead letter's key, value and own headers back to its original topic, with
   * {@link REPLAYED_FROM_HEADER}, and records the replay.
   * @throws ALREADY_REPLAYED unless `force`; NOT_REPLAYABLE; DEAD_LETTER_NOT_FOUND.
   */
  replay(
    topic: string,
    partition: number,
    offset: string,
    options?: { force?: boolean },
  ): Promise<ReplayRecord>;
  /** Replays every dead letter of `<topic>.dlq` not replayed before, in offset order. */
  replayAll(topic: string): Promise<ReplayAllResult>;
  /** Disconnects from the brokers. */
  close(): Promise<void>;
}

interface ToolState {
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  logger: Logger;
  replayLogTopic: string;
  readTimeoutMs: number;
  replicationFactor: number;
  connecting?: Promise<void>;
}

/** A half-open offset range `[start, end)` of one partition. */
interface ReadRange {
  topic: string;
  partition: number;
  start: bigint;
  end: bigint;
}

interface ReadRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

const READ_GROUP_PREFIX = 'dead-letter-tool';

/**
 * Creates the operator's dead-letter tool over Kafka. Reads never move a consumer group: each
 * one joins a throwaway group that commits nothing, seeks to the wanted offsets and stops at the
 * high-water marks the admin client reported when it began, so it always ends.
 */
export function createDeadLetterTool(options: DeadLetterToolOptions): DeadLetterTool {
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: options.clientId ?? 'dead-letter-tool',
    logLevel: logLevel.WARN,
    logCreator: createKafkaLogCreator(options.logger),
  });
  const state: ToolState = {
    kafka,
    admin: kafka.admin(),
    // The same partitioner as the Kafka bus, so a replayed key lands where its peers are.
    producer: kafka.producer({
      idempotent: true,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    }),
    logger: options.logger.child({ component: 'dead-letter-tool' }),
    replayLogTopic: options.replayLogTopic ?? REPLAY_LOG_TOPIC,
    readTimeoutMs: options.readTimeoutMs ?? 30_000,
    replicationFactor: options.replicationFactor ?? 1,
  };

  return {
    list: async (topic) => (await readDeadLetters(state, topic)).map(toListed),
    show: async (topic, partition, offset) => {
      const [found] = await readDeadLetters(state, topic, { partition, offset: BigInt(offset) });
      return found ?? notFound(topic, partition, offset);
    },
    replay: async (topic, partition, offset, replayOptions) => {
      const [found] = await readDeadLetters(state, topic, { partition, offset: BigInt(offset) });
      return replayDeadLetter(state, found ?? notFound(topic, partition, offset), replayOptions);
    },
    replayAll: (topic) => replayAllDeadLetters(state, topic),
    close: async () => {
      await Promise.allSettled([state.admin.disconnect(), state.producer.disconnect()]);
    },
  };
}

function connectClients(state: ToolState): Promise<void> {
  state.connecting ??= Promise.all([state.admin.connect(), state.producer.connect()]).then(
    () => undefined,
    (error: unknown) => {
      state.connecting = undefined;
      throw error;
    },
  );
  return state.connecting;
}

function notFound(topic: string, partition: number, offset: string): never {
  throw new DeadLetterToolError(
    'DEAD_LETTER_NOT_FOUND',
    `No dead letter sits at ${deadLetterTopicOf(topic)} partition ${partition} offset ${offset}; list the topic to see which exist.`,
  );
}

function toListed(detail: DeadLetterDetail): DeadLetter {
  const { topic, partition, offset, key, timestamp, failure, event, replay } = detail;
  return { topic, partition, offset, key, timestamp, failure, event, replay };
}

/** Reads `<topic>.dlq` (all of it, or the one offset) joined with the replay log. */
async function readDeadLetters(
  state: ToolState,
  topic: string,
  only?: { partition: number; offset: bigint },
): Promise<DeadLetterDetail[]> {
  const dlqTopic = deadLetterTopicOf(topic);
  await connectClients(state);
  const existing = new Set(await state.admin.listTopics());
  if (!existing.has(dlqTopic)) {
    throw new DeadLetterToolError(
      'TOPIC_NOT_FOUND',
      `The dead-letter topic ${dlqTopic} does not exist; check the topic name (without ".dlq").`,
    );
  }

  const dlqRanges = (await rangesOf(state, dlqTopic)).map((range) => narrowRange(range, only));
  const logRanges = existing.has(state.replayLogTopic)
    ? await rangesOf(state, state.replayLogTopic)
    : [];
  const records = await readRanges(state, [...dlqRanges, ...logRanges]);

  const replays = collectReplays(records.filter((record) => record.topic !== dlqTopic));
  return records
    .filter((record) => record.topic === dlqTopic)
    .map((record) => toDeadLetterDetail(record, replays));
}

/** Narrows a partition's range to the one offset wanted; other partitions become empty. */
function narrowRange(range: ReadRange, only?: { partition: number; offset: bigint }): ReadRange {
  if (!only) {
    return range;
  }
  const inRange =
    range.partition === only.partition && only.offset >= range.start && only.offset < range.end;
  return inRange ? { ...range, start: only.offset, end: only.offset + 1n } : { ...range, end: 0n };
}

async function rangesOf(state: ToolState, topic: string): Promise<ReadRange[]> {
  const offsets = await state.admin.fetchTopicOffsets(topic);
  return offsets.map(({ partition, low, high }) => ({
    topic,
    partition,
    start: BigInt(low),
    end: BigInt(high),
  }));
}

/**
 * Reads every message in the given ranges and disconnects. Partitions with nothing to read are
 * paused. Progress is taken from kafkajs's end-of-batch events, which also fire for batches of
 * control records only, so a range ending in a transaction marker still completes.
 */
async function readRanges(state: ToolState, ranges: ReadRange[]): Promise<ReadRecord[]> {
  const pending = new Map(
    ranges.filter((r) => r.start < r.end).map((r) => [`${r.topic}#${r.partition}`, r]),
  );
  if (pending.size === 0) {
    return [];
  }

  const wanted = new Map(pending);
  const records = new Map<string, ReadRecord>();
  const groupId = `${READ_GROUP_PREFIX}-${randomUUID()}`;
  const consumer = state.kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
  });
  const { finished, timer } = watchProgress(state, consumer, pending);

  try {
    await consumer.connect();
    const topics = [...new Set(ranges.map((r) => r.topic))];
    // From the beginning as well as seeking, so a seek kafkajs applies late still reads all.
    await consumer.subscribe({ topics, fromBeginning: true });
    // Offsets are never committed: the group is thrown away, and no real group moves.
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const range = wanted.get(`${topic}#${partition}`);
        const offset = BigInt(message.offset);
        if (range && offset >= range.start && offset < range.end) {
          records.set(`${topic}#${partition}#${offset}`, { topic, partition, message });
        }
      },
    });
    seekRanges(consumer, ranges);
    await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    await deleteReadGroup(state, groupId);
  }

  return [...records.values()].sort(compareRecords);
}

/**
 * Resolves once every pending range has been read to its end; rejects when the consumer crashes
 * or the read timeout passes. The timer must be cleared by the caller.
 */
function watchProgress(state: ToolState, consumer: Consumer, pending: Map<string, ReadRange>) {
  const ranges = [...pending.values()];
  let finish: (error?: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Marked handled now: a crash or the timeout may reject it before the caller awaits it.
  finished.catch(() => undefined);

  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const slot = `${payload.topic}#${payload.partition}`;
    const range = pending.get(slot);
    if (range && BigInt(payload.lastOffset) + 1n >= range.end) {
      pending.delete(slot);
      if (pending.size === 0) finish();
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => finish(payload.error));
  const timer = setTimeout(() => finish(readTimedOut(state, ranges)), state.readTimeoutMs);
  return { finished, timer };
}

function seekRanges(consumer: Consumer, ranges: ReadRange[]): void {
  for (const range of ranges) {
    if (range.start < range.end) {
      consumer.seek({ topic: range.topic, partition: range.partition, offset: `${range.start}` });
    } else {
      consumer.pause([{ topic: range.topic, partitions: [range.partition] }]);
    }
  }
}

function readTimedOut(state: ToolState, ranges: ReadRange[]): DeadLetterToolError {
  const topics = [...new Set(ranges.map((r) => r.topic))].join(', ');
  return new DeadLetterToolError(
    'READ_TIMED_OUT',
    `Reading ${topics} did not reach the end within ${state.readTimeoutMs} ms; check the brokers are reachable and try again.`,
  );
}

async function deleteReadGroup(state: ToolState, groupId: string): Promise<void> {
  // The group committed nothing, so the broker would expire it anyway; deleting keeps group
  // listings tidy for operators. Failing to is harmless.
  await state.admin.deleteGroups([groupId]).catch((error: unknown) => {
    state.logger.debug({ err: error, groupId }, 'Could not delete the throwaway read group');
  });
}

function compareRecords(a: ReadRecord, b: ReadRecord): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return Number(BigInt(a.message.offset) - BigInt(b.message.offset));
}

const replayRecordSchema = z.object({
  deadLetter: z.string(),
  deadLetterTimestamp: z.string(),
  originalTopic: z.string(),
  partition: z.number().int().nonnegative(),
  offset: z.string().regex(/^\d+$/),
  replayedAt: z.string(),
  forced: z.boolean(),
}) satisfies z.ZodType<ReplayRecord>;

/** The latest replay of each dead letter; a later record of one key replaces an earlier. */
function collectReplays(records: ReadRecord[]): Map<string, ReplayRecord> {
  const replays = new Map<string, ReplayRecord>();
  for (const { message } of records) {
    const parsed = replayRecordSchema.safeParse(parseJson(message.value?.toString('utf8')));
    if (parsed.success) replays.set(parsed.data.deadLetter, parsed.data);
  }
  return replays;
}

/** Names a dead letter as the replay header and the replay log key do. */
export function deadLetterRef(topic: string, partition: number, offset: string): string {
  return `${topic}/${partition}/${offset}`;
}

function toDeadLetterDetail(
  record: ReadRecord,
  replays: Map<string, ReplayRecord>,
): DeadLetterDetail {
  const { topic, partition, message } = record;
  const headers = readHeaders(message.headers);
  const value = message.value ?? Buffer.alloc(0);
  const envelope = decodeEnvelope(value);
  const event = summarizeEvent(envelope, headers);
  const recorded = replays.get(deadLetterRef(topic, partition, message.offset));
  const replay = recorded?.deadLetterTimestamp === message.timestamp ? recorded : undefined;

  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? '',
    timestamp: message.timestamp,
    failure: parseFailure(headers),
    headers,
    value,
    ...(event && { event }),
    ...(replay && { replay }),
    ...(envelope !== undefined && { envelope }),
  };
}

/** Flattens Kafka headers to strings; of a repeated header, the last value wins. */
function readHeaders(headers: KafkaMessage['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) result[name] = last.toString();
  }
  return result;
}

const text = z.string().min(1).optional().catch(undefined);
const count = z.coerce.number().int().nonnegative().optional().catch(undefined);
const failureHeadersSchema = z.object({
  [DEAD_LETTER_HEADERS.errorCode]: text,
  [DEAD_LETTER_HEADERS.errorMessage]: text,
  [DEAD_LETTER_HEADERS.originalTopic]: text,
  [DEAD_LETTER_HEADERS.originalPartition]: count,
  [DEAD_LETTER_HEADERS.originalOffset]: z.string().regex(/^\d+$/).optional().catch(undefined),
  [DEAD_LETTER_HEADERS.attempts]: count,
  [DEAD_LETTER_HEADERS.consumerGroup]: text,
  [DEAD_LETTER_HEADERS.failedAt]: z.iso.datetime().optional().catch(undefined),
});

/** Reads the `x-dlq-*` headers; one that is missing or garbled is left out, not fatal. */
export function parseFailure(headers: Record<string, string>): DeadLetterFailure {
  const parsed = failureHeadersSchema.parse(headers);
  const failure: DeadLetterFailure = {
    errorCode: parsed[DEAD_LETTER_HEADERS.errorCode],
    errorMessage: parsed[DEAD_LETTER_HEADERS.errorMessage],
    originalTopic: parsed[DEAD_LETTER_HEADERS.originalTopic],
    originalPartition: parsed[DEAD_LETTER_HEADERS.originalPartition],
    originalOffset: parsed[DEAD_LETTER_HEADERS.originalOffset],
    attempts: parsed[DEAD_LETTER_HEADERS.attempts],
    consumerGroup: parsed[DEAD_LETTER_HEADERS.consumerGroup],
    failedAt: parsed[DEAD_LETTER_HEADERS.failedAt],
  };
  return Object.fromEntries(Object.entries(failure).filter(([, v]) => v !== undefined));
}

const COMPACT_JWS = /^[\w-]+\.([\w-]+)\.[\w-]*$/;

/**
 * Returns the envelope JSON a value carries, plain or as the payload of a compact JWS, or
 * `undefined` when it is neither. The signature is not checked: this is for reading only.
 */
export function decodeEnvelope(value: Buffer): unknown {
  const raw = value.toString('utf8').trim();
  const signedPayload = COMPACT_JWS.exec(raw)?.[1];
  return parseJson(
    signedPayload === undefined ? raw : Buffer.from(signedPayload, 'base64url').toString('utf8'),
  );
}

function parseJson(raw: string | undefined): unknown {
  try {
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

const eventIdentitySchema = z.object({ type: z.string().min(1), id: z.string().min(1) });

/** The event's type and id from its envelope, else from the bus's tracing headers. */
function summarizeEvent(
  envelope: unknown,
  headers: Record<string, string>,
): { type: string; id: string } | undefined {
  const fromValue = eventIdentitySchema.safeParse(envelope);
  if (fromValue.success) return fromValue.data;
  const fromHeaders = eventIdentitySchema.safeParse({
    type: headers[EVENT_HEADERS.type],
    id: headers[EVENT_HEADERS.id],
  });
  return fromHeaders.success ? fromHeaders.data : undefined;
}

async function replayDeadLetter(
  state: ToolState,
  deadLetter: DeadLetterDetail,
  options: { force?: boolean } = {},
): Promise<ReplayRecord> {
  const ref = deadLetterRef(deadLetter.topic, deadLetter.partition, deadLetter.offset);
  const originalTopic = deadLetter.failure.originalTopic;
  if (!originalTopic) {
    throw new DeadLetterToolError(
      'NOT_REPLAYABLE',
      `Dead letter ${ref} has no ${DEAD_LETTER_HEADERS.originalTopic} header, so there is nowhere to replay it; publish it by hand.`,
    );
  }
  if (!(await state.admin.listTopics()).includes(originalTopic)) {
    throw new DeadLetterToolError(
      'TOPIC_NOT_FOUND',
      `Dead letter ${ref} came from ${originalTopic}, which no longer exists; recreate it first.`,
    );
  }
  if (deadLetter.replay && !options.force) {
    throw new DeadLetterToolError(
      'ALREADY_REPLAYED',
      `Dead letter ${ref} was already replayed at ${deadLetter.replay.replayedAt}; pass --force to replay it again.`,
    );
  }

  // Publish first, record second: a failed record can only cause a duplicate on a later replay,
  // which idempotent handlers absorb, whereas the other order could lose the message.
  // TODO: two operators replaying the same dead letter at once both pass the check above; a
  // transactional write (publish and record together, plus a fence) would close that gap.
  const [landed] = await state.producer.send({
    topic: originalTopic,
    acks: -1,
    messages: [
      { key: deadLetter.key, value: deadLetter.value, headers: replayHeaders(deadLetter, ref) },
    ],
  });
  invariant(landed?.baseOffset !== undefined, 'Kafka acknowledged a send without its offset');
  const record: ReplayRecord = {
    deadLetter: ref,
    deadLetterTimestamp: deadLetter.timestamp,
    originalTopic,
    partition: landed.partition,
    offset: landed.baseOffset,
    replayedAt: new Date().toISOString(),
    forced: Boolean(deadLetter.replay),
  };
  await recordReplay(state, record);
  state.logger.info(
    { deadLetter: ref, topic: originalTopic, partition: record.partition, offset: record.offset },
    'Dead letter replayed',
  );
  return record;
}

/** The dead letter's own headers without the failure description, plus where it came from. */
function replayHeaders(deadLetter: DeadLetterDetail, ref: string): Record<string, string> {
  const dlqHeaders = new Set<string>(Object.values(DEAD_LETTER_HEADERS));
  const own = Object.entries(deadLetter.headers).filter(([name]) => !dlqHeaders.has(name));
  return { ...Object.fromEntries(own), [REPLAYED_FROM_HEADER]: ref };
}

async function recordReplay(state: ToolState, record: ReplayRecord): Promise<void> {
  await ensureReplayLog(state);
  await state.producer.send({
    topic: state.replayLogTopic,
    acks: -1,
    messages: [{ key: record.deadLetter, value: JSON.stringify(record) }],
  });
}

async function ensureReplayLog(state: ToolState): Promise<void> {
  if ((await state.admin.listTopics()).includes(state.replayLogTopic)) {
    return;
  }

  // One partition keeps the log in write order; compaction keeps the latest record per key.
  await state.admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: state.replayLogTopic,
        numPartitions: 1,
        replicationFactor: state.replicationFactor,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
  });
  state.logger.info({ topic: state.replayLogTopic }, 'Created the replay log');
}

async function replayAllDeadLetters(state: ToolState, topic: string): Promise<ReplayAllResult> {
  const result: ReplayAllResult = { replayed: [], skipped: [] };
  for (const deadLetter of await readDeadLetters(state, topic)) {
    const ref = deadLetterRef(deadLetter.topic, deadLetter.partition, deadLetter.offset);
    if (deadLetter.replay) {
      result.skipped.push({ deadLetter: ref, reason: 'ALREADY_REPLAYED' });
    } else if (!deadLetter.failure.originalTopic) {
      result.skipped.push({ deadLetter: ref, reason: 'NOT_REPLAYABLE' });
    } else {
      result.replayed.push(await replayDeadLetter(state, deadLetter));
    }
  }
  return result;
}
