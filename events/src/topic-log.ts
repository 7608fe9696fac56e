import type { BusMessage } from './event-bus.js';

/** A message as the in-process bus stores it. */
export interface StoredRecord {
  /** Its offset within its partition. */
  offset: number;
  /** Its position among all messages of the topic, used to trim the oldest first. */
  sequence: number;
  message: BusMessage;
}

/** The retained messages of one topic, split into partitions. */
export interface TopicLog {
  /** Appends a message to the partition its key hashes to; returns that partition. */
  append(message: BusMessage): number;
  /** Returns the record at `offset`, or `undefined` when it is not (or no longer) retained. */
  read(partition: number, offset: number): StoredRecord | undefined;
  /** The offset of the oldest retained record of a partition. */
  startOffset(partition: number): number;
  /** The offset the next record of a partition will get. */
  endOffset(partition: number): number;
}

/** Options of {@link createTopicLog}. */
export interface TopicLogOptions {
  partitions: number;
  /** Records kept per topic; the oldest are dropped beyond it. */
  maxRetained: number;
}

interface PartitionLog {
  records: StoredRecord[];
  nextOffset: number;
}

/**
 * Returns the partition a key belongs to. FNV-1a is used for its spread and simplicity; it
 * need not match Kafka's murmur2, only be stable for the life of the bus.
 */
export function partitionForKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }

  return (hash >>> 0) % partitions;
}

/**
 * Creates the bounded log of one topic. Like a Kafka topic with size-based retention, it drops
 * the topic's oldest records once it holds more than `maxRetained`, whatever their partition.
 */
export function createTopicLog(options: TopicLogOptions): TopicLog {
  const partitions: PartitionLog[] = Array.from({ length: options.partitions }, () => ({
    records: [],
    nextOffset: 0,
  }));
  let nextSequence = 0;
  let retained = 0;

  function trimOldest(): void {
    let oldest: PartitionLog | undefined;
    for (const partition of partitions) {
      const head = partition.records[0];
      if (head && (!oldest || head.sequence < (oldest.records[0]?.sequence ?? Infinity))) {
        oldest = partition;
      }
    }
    oldest?.records.shift();
    retained -= 1;
  }

  return {
    append(message) {
      const index = partitionForKey(message.key, options.partitions);
      const partition = partitions[index]!;
      partition.records.push({ offset: partition.nextOffset, sequence: nextSequence, message });
      partition.nextOffset += 1;
      nextSequence += 1;
      retained += 1;
      if (retained > options.maxRetained) {
        trimOldest();
      }
      return index;
    },

    read(partition, offset) {
      const log = partitions[partition];
      const first = log?.records[0];
      return first ? log.records[offset - first.offset] : undefined;
    },

    startOffset(partition) {
      const log = partitions[partition]!;
      return log.records[0]?.offset ?? log.nextOffset;
    },

    endOffset(partition) {
      return partitions[partition]!.nextOffset;
    },
  };
}
