import { z } from 'zod';
import { createEnvelope, describeIssues, deserializeEnvelope } from './envelope.js';
import type { Envelope } from './envelope.js';
import { EventError } from './event-error.js';
import { TOPICS } from './topics.js';
import type { Topic } from './topics.js';

/** Every state a registration can be in (as in the Registration subgraph); status events move between these. */
export const REGISTRATION_STATUSES = [
  'PENDING',
  'WAITLISTED',
  'AWAITING_PAYMENT',
  'CONFIRMED',
  'CANCELLED',
  'DROPPED',
  'FAILED',
] as const;

/** A state from {@link REGISTRATION_STATUSES}. */
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** How the catalogue describes one event type. */
export interface EventDefinition<TSchema extends z.ZodType = z.ZodType> {
  /** The payload version producers write and consumers accept. */
  version: number;
  /** The topic the event is published on. */
  topic: Topic;
  /** The schema its payload must match, on produce and on consume. */
  payload: TSchema;
  /** The partition key, taken from the payload so every producer orders the event the same way. */
  keyOf(payload: z.output<TSchema>): string;
}

function defineEvent<TSchema extends z.ZodType>(
  definition: EventDefinition<TSchema>,
): EventDefinition<TSchema> {
  return definition;
}

const idSchema = z.string().min(1).max(100);
const moduleCodeSchema = z.string().min(1).max(32);
const statusSchema = z.enum(REGISTRATION_STATUSES);

/**
 * The event catalogue: every event type with its version, topic, payload schema and key.
 * Registration events are keyed by registration id and module events by module code, so each
 * registration's (and each module's) history is handled in order.
 */
export const EVENT_CATALOGUE = {
  RegistrationRequested: defineEvent({
    version: 1,
    topic: TOPICS.registration,
    payload: z.object({
      registrationId: idSchema,
      studentId: idSchema,
      moduleCode: moduleCodeSchema,
      /** Staff waived the capacity rule for this registration. */
      overrideCapacity: z.boolean().default(false),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  RegistrationStatusChanged: defineEvent({
    version: 1,
    topic: TOPICS.registration,
    payload: z.object({
      registrationId: idSchema,
      from: statusSchema,
      to: statusSchema,
      reason: z.string().min(1).max(500).optional(),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  SeatAvailabilityChanged: defineEvent({
    version: 1,
    topic: TOPICS.module,
    payload: z
      .object({
        moduleCode: moduleCodeSchema,
        capacity: z.number().int().nonnegative(),
        seatsAvailable: z.number().int().nonnegative(),
      })
      .refine((payload) => payload.seatsAvailable <= payload.capacity, {
        message: 'seatsAvailable must not exceed capacity',
        path: ['seatsAvailable'],
      }),
    keyOf: (payload) => payload.moduleCode,
  }),

  // Commands the registration saga sends to the Module service. Keyed by module code: one
  // module's requests are handled one after another, in the order students asked, which is what
  // makes its waitlist first-come, first-served.
  ReserveSeat: defineEvent({
    version: 1,
    topic: TOPICS.moduleCommands,
    payload: z.object({
      registrationId: idSchema,
      studentId: idSchema,
      moduleCode: moduleCodeSchema,
      /** Staff overrode the capacity rule: take a seat even when the module is full. */
      overrideCapacity: z.boolean().default(false),
    }),
    keyOf: (payload) => payload.moduleCode,
  }),
  ReleaseSeat: defineEvent({
    version: 1,
    topic: TOPICS.moduleCommands,
    payload: z.object({
      registrationId: idSchema,
      moduleCode: moduleCodeSchema,
      reason: z.string().min(1).max(500),
    }),
    keyOf: (payload) => payload.moduleCode,
  }),

  // The Module service's answers, keyed by registration so the saga sees them in order.
  SeatReserved: defineEvent({
    version: 1,
    topic: TOPICS.module,
    payload: z.object({
      registrationId: idSchema,
      moduleCode: moduleCodeSchema,
      feeAmount: z.number().int().nonnegative(),
      currency: z.string().length(3),
      /** The seat went to a student waiting on the waitlist, when another was released. */
      fromWaitlist: z.boolean(),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  SeatWaitlisted: defineEvent({
    version: 1,
    topic: TOPICS.module,
    payload: z.object({
      registrationId: idSchema,
      moduleCode: moduleCodeSchema,
      position: z.number().int().positive(),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  SeatRefused: defineEvent({
    version: 1,
    topic: TOPICS.module,
    payload: z.object({
      registrationId: idSchema,
      moduleCode: moduleCodeSchema,
      reason: z.string().min(1).max(500),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  SeatReleased: defineEvent({
    version: 1,
    topic: TOPICS.module,
    payload: z.object({ registrationId: idSchema, moduleCode: moduleCodeSchema }),
    keyOf: (payload) => payload.registrationId,
  }),

  // Commands to the Payment service and its answers, keyed by registration.
  RequestPayment: defineEvent({
    version: 1,
    topic: TOPICS.paymentCommands,
    payload: z.object({
      registrationId: idSchema,
      studentId: idSchema,
      amount: z.number().int().positive(),
      currency: z.string().length(3),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  CancelPayment: defineEvent({
    version: 1,
    topic: TOPICS.paymentCommands,
    payload: z.object({
      registrationId: idSchema,
      /** Refund a payment that already succeeded (a drop after paying, per the refund policy). */
      refund: z.boolean(),
      reason: z.string().min(1).max(500),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  PaymentPending: defineEvent({
    version: 1,
    topic: TOPICS.payment,
    payload: z.object({ registrationId: idSchema, paymentId: idSchema }),
    keyOf: (payload) => payload.registrationId,
  }),
  PaymentSucceeded: defineEvent({
    version: 1,
    topic: TOPICS.payment,
    payload: z.object({ registrationId: idSchema, paymentId: idSchema }),
    keyOf: (payload) => payload.registrationId,
  }),
  PaymentFailed: defineEvent({
    version: 1,
    topic: TOPICS.payment,
    payload: z.object({
      registrationId: idSchema,
      paymentId: idSchema,
      reason: z.string().min(1).max(500),
    }),
    keyOf: (payload) => payload.registrationId,
  }),
  PaymentCancelled: defineEvent({
    version: 1,
    topic: TOPICS.payment,
    payload: z.object({ registrationId: idSchema, paymentId: idSchema, refunded: z.boolean() }),
    keyOf: (payload) => payload.registrationId,
  }),
} as const;

/** The name of a catalogued event type. */
export type EventType = keyof typeof EVENT_CATALOGUE;

/** The checked payload of event type `T`. */
export type EventPayload<T extends EventType> = z.output<(typeof EVENT_CATALOGUE)[T]['payload']>;

/** The payload a producer passes for event type `T`, before checking. */
export type EventPayloadInput<T extends EventType> = z.input<
  (typeof EVENT_CATALOGUE)[T]['payload']
>;

/** One catalogued event: an envelope whose `type` fixes its payload's shape. */
export type EventOf<T extends EventType> = Envelope<T, EventPayload<T>>;

/** Any catalogued event: a union discriminated on `type`, for exhaustive `switch`es. */
export type RegistrarEvent = { [T in EventType]: EventOf<T> }[EventType];

/** What a producer says about an event besides its type and payload. */
export interface EventMetadata {
  /** The producing service's name. */
  producer: string;
  /** The id of the request this event follows from. */
  correlationId: string;
  /** The id of the event or command that caused this one. */
  causationId?: string;
  /** An id fixed by the caller, such as an outbox row's. @default a random UUID */
  id?: string;
  /** @default now */
  time?: string;
}

/** Tells whether `type` names an event type in the catalogue. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, type);
}

/** Returns the topic events of type `type` are published on. */
export function topicOf(type: EventType): Topic {
  return EVENT_CATALOGUE[type].topic;
}

/**
 * Creates a catalogued event: checks the payload, stamps the current version and derives the
 * partition key from the payload.
 *
 * @throws {EventError} `EVENT_INVALID` when the payload does not match its schema.
 */
export function createEvent<T extends EventType>(
  type: T,
  payload: EventPayloadInput<T>,
  metadata: EventMetadata,
): EventOf<T> {
  // Indexing the catalogue with a generic key loses the per-type link between schema and
  // payload; the widening is safe because the schema checks the payload right here.
  const definition: EventDefinition = EVENT_CATALOGUE[type];
  const checked = checkPayload(type, definition, payload) as EventPayload<T>;

  return createEnvelope({
    ...metadata,
    type,
    version: definition.version,
    key: definition.keyOf(checked),
    payload: checked,
  });
}

/**
 * Checks an envelope against the catalogue and returns it as a typed event.
 *
 * @throws {EventError} `EVENT_UNKNOWN_TYPE`, `EVENT_UNSUPPORTED_VERSION` or `EVENT_INVALID`;
 * every one carries `retryable: false`.
 */
export function parseEvent(envelope: Envelope): RegistrarEvent {
  if (!isEventType(envelope.type)) {
    throw new EventError(
      'EVENT_UNKNOWN_TYPE',
      `The event type "${envelope.type}" is not in the catalogue; update @registrar/events.`,
    );
  }

  const definition: EventDefinition = EVENT_CATALOGUE[envelope.type];
  if (envelope.version !== definition.version) {
    throw new EventError(
      'EVENT_UNSUPPORTED_VERSION',
      `${envelope.type} version ${envelope.version} is not supported; this consumer reads version ${definition.version}.`,
    );
  }

  const payload = checkPayload(envelope.type, definition, envelope.payload);
  // The type and payload were checked together against one catalogue entry above.
  return { ...envelope, payload } as RegistrarEvent;
}

/**
 * Decodes a bus message's bytes into a typed event: the envelope first, then the catalogue.
 *
 * @throws {EventError} `EVENT_MALFORMED` or any error of {@link parseEvent}.
 */
export function decodeEvent(bytes: Buffer): RegistrarEvent {
  return parseEvent(deserializeEnvelope(bytes));
}

function checkPayload(type: string, definition: EventDefinition, payload: unknown): unknown {
  const result = definition.payload.safeParse(payload);
  if (!result.success) {
    throw new EventError(
      'EVENT_INVALID',
      `The ${type} payload is invalid (${describeIssues(result.error)}).`,
    );
  }

  return result.data;
}
