import type { Logger } from '@registrar/platform';
import type { BusMessage, ConsumedMessage } from './event-bus.js';
import { deadLetterTopicOf } from './topics.js';

/** The headers a dead-lettered copy carries, besides the original message's own. */
export const DEAD_LETTER_HEADERS = {
  errorCode: 'x-dlq-error-code',
  errorMessage: 'x-dlq-error-message',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  attempts: 'x-dlq-attempts',
  consumerGroup: 'x-dlq-consumer-group',
  failedAt: 'x-dlq-failed-at',
} as const;

/** The error code recorded when the handler's error carries no string `code`. */
export const UNCODED_FAILURE = 'HANDLER_FAILED';

/**
 * The longest error message kept in a dead-letter header. Messages are cut so that a handler
 * that quotes a whole payload in its error cannot copy it into every header-indexing tool.
 */
export const MAX_DEAD_LETTER_MESSAGE_LENGTH = 300;

/** Why a message is being dead-lettered. */
export interface DeliveryFailure {
  error: unknown;
  attempts: number;
  groupId: string;
}

/** What {@link sendToDeadLetter} needs. */
export interface SendToDeadLetterInput {
  message: Omit<ConsumedMessage, 'attempt'>;
  failure: DeliveryFailure;
  publish: (topic: string, messages: BusMessage[]) => Promise<void>;
  logger: Logger;
}

/**
 * Builds the dead-letter copy of a message: same key and bytes, its headers plus the
 * `x-dlq-*` headers describing the failure.
 */
export function createDeadLetterMessage(
  message: Omit<ConsumedMessage, 'attempt'>,
  failure: DeliveryFailure,
): BusMessage {
  const { code, text } = describeFailure(failure.error);

  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DEAD_LETTER_HEADERS.errorCode]: code,
      [DEAD_LETTER_HEADERS.errorMessage]: text,
      [DEAD_LETTER_HEADERS.originalTopic]: message.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(message.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: message.offset,
      [DEAD_LETTER_HEADERS.attempts]: String(failure.attempts),
      [DEAD_LETTER_HEADERS.consumerGroup]: failure.groupId,
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}

/**
 * Publishes the dead-letter copy of a message to `<topic>.dlq` and logs the failure once.
 *
 * @throws whatever `publish` throws; the caller must then leave the message uncommitted.
 */
export async function sendToDeadLetter(input: SendToDeadLetterInput): Promise<void> {
  const { message, failure } = input;
  const deadLetter = createDeadLetterMessage(message, failure);

  await input.publish(deadLetterTopicOf(message.topic), [deadLetter]);

  input.logger.error(
    {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      groupId: failure.groupId,
      attempts: failure.attempts,
      code: deadLetter.headers?.[DEAD_LETTER_HEADERS.errorCode],
      err: failure.error,
    },
    'Message dead-lettered',
  );
}

/** Returns the code and the header-safe, truncated message of any thrown value. */
export function describeFailure(error: unknown): { code: string; text: string } {
  const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  const raw = error instanceof Error ? error.message : String(error);
  // Header values are shown as single lines by most tooling; line breaks would garble them.
  const flat = raw.replace(/\s+/g, ' ').trim();
  const text =
    flat.length > MAX_DEAD_LETTER_MESSAGE_LENGTH
      ? `${flat.slice(0, MAX_DEAD_LETTER_MESSAGE_LENGTH - 1)}…`
      : flat;

  return { code: typeof code === 'string' && code.length > 0 ? code : UNCODED_FAILURE, text };
}
