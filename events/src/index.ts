export {
  EVENT_HEADERS,
  createEnvelope,
  deserializeEnvelope,
  envelopeSchema,
  serializeEnvelope,
  toBusMessage,
} from './envelope.js';
export type { CreateEnvelopeInput, Envelope } from './envelope.js';
export {
  EVENT_CATALOGUE,
  REGISTRATION_STATUSES,
  createEvent,
  decodeEvent,
  isEventType,
  parseEvent,
  topicOf,
} from './catalogue.js';
export type {
  EventDefinition,
  EventMetadata,
  EventOf,
  EventPayload,
  EventPayloadInput,
  EventType,
  RegistrarEvent,
  RegistrationStatus,
} from './catalogue.js';
export { EVENT_ERROR_CODES, EventError } from './event-error.js';
export type { EventErrorCode } from './event-error.js';
export { DEAD_LETTER_SUFFIX, TOPICS, deadLetterTopicOf } from './topics.js';
export type { Topic } from './topics.js';
export type {
  BusMessage,
  ConsumedMessage,
  EventBus,
  MessageHandler,
  SubscribeOptions,
  Subscription,
} from './event-bus.js';
export {
  DEAD_LETTER_HEADERS,
  MAX_DEAD_LETTER_MESSAGE_LENGTH,
  UNCODED_FAILURE,
} from './dead-letter.js';
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_BACKOFF_MS,
  MAX_RETRY_BACKOFF_MS,
} from './message-delivery.js';
export { createInProcessBus } from './in-process-bus.js';
export type { InProcessBusOptions } from './in-process-bus.js';
export { createKafkaBus } from './kafka-bus.js';
export type { KafkaBusOptions } from './kafka-bus.js';
export { OUTBOX_DDL, appendToOutbox, handleOnce } from './outbox.js';
export { startOutboxRelay } from './outbox-relay.js';
export type { OutboxRelay, OutboxRelayOptions } from './outbox-relay.js';
export { createEnvelopeSigner, verifySignedEnvelope } from './envelope-signing.js';
export type { EnvelopeSigner } from './envelope-signing.js';
export { startEventConsumer } from './event-consumer.js';
export type { EventConsumerOptions } from './event-consumer.js';
export { startServiceEventing } from './service-events.js';
export type { ServiceEventing, ServiceEventingOptions, ServiceEvents } from './service-events.js';
export {
  DEAD_LETTER_TOOL_ERROR_CODES,
  DeadLetterToolError,
  REPLAYED_FROM_HEADER,
  REPLAY_LOG_TOPIC,
  createDeadLetterTool,
  deadLetterRef,
  decodeEnvelope,
  parseFailure,
} from './dead-letter-tool.js';
export type {
  DeadLetter,
  DeadLetterDetail,
  DeadLetterFailure,
  DeadLetterTool,
  DeadLetterToolErrorCode,
  DeadLetterToolOptions,
  ReplayAllResult,
  ReplayRecord,
} from './dead-letter-tool.js';
export { createNamespacedBus } from './namespaced-bus.js';
export { loadServiceEvents } from './service-events-config.js';
export type { ConfiguredServiceEvents } from './service-events-config.js';
