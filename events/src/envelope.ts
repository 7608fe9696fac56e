import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { BusMessage } from './event-bus.js';
import { EventError } from './event-error.js';

/**
 * The wrapper every event travels in. The payload is typed by the catalogue; the envelope
 * carries what every consumer needs before it looks inside: identity, lineage and routing.
 */
export interface Envelope<TType extends string = string, TPayload = unknown> {
  /** A UUID unique to this event; consumers use it to drop duplicates. */
  id: string;
  /** The event type, the discriminant of the catalogue's union. */
  type: TType;
  /** The version of the payload schema, a positive integer. */
  version: number;
  /** When the producer created the event, as an ISO 8601 timestamp. */
  time: string;
  /** The id shared by every event that follows from one request. */
  correlationId: string;
  /** The id of the event or command that directly caused this one, if any. */
  causationId?: string;
  /** The name of the service that produced the event. */
  producer: string;
  /** The partition key: events with one key are handled in the order they were produced. */
  key: string;
  /** The event's data, checked against the catalogue on produce and on consume. */
  payload: TPayload;
}

const idSchema = z.string().min(1).max(200);

/** The schema of an envelope with its payload not yet checked against the catalogue. */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(100),
  version: z.number().int().positive(),
  time: z.iso.datetime({ offset: true }),
  correlationId: idSchema,
  causationId: idSchema.optional(),
  producer: z.string().min(1).max(100),
  key: idSchema,
  payload: z.unknown().refine((payload) => payload !== undefined, 'Required'),
}) satisfies z.ZodType<Envelope>;

/** What {@link createEnvelope} needs; `id` and `time` are generated unless given. */
export interface CreateEnvelopeInput<TType extends string, TPayload> {
  type: TType;
  version: number;
  payload: TPayload;
  correlationId: string;
  causationId?: string;
  producer: string;
  key: string;
  /** An outbox row may fix the id so a republished event keeps it. @default a random UUID */
  id?: string;
  /** @default now */
  time?: string;
}

/**
 * Creates an envelope around a payload, filling in a fresh id and the current time. It checks
 * the envelope fields only; the catalogue's `createEvent` also checks the payload.
 *
 * @throws {EventError} `EVENT_MALFORMED` when a field breaks the envelope schema.
 */
export function createEnvelope<TType extends string, TPayload>(
  input: CreateEnvelopeInput<TType, TPayload>,
): Envelope<TType, TPayload> {
  const envelope: Envelope<TType, TPayload> = {
    id: input.id ?? randomUUID(),
    type: input.type,
    version: input.version,
    time: input.time ?? new Date().toISOString(),
    correlationId: input.correlationId,
    producer: input.producer,
    key: input.key,
    payload: input.payload,
    ...(input.causationId === undefined ? {} : { causationId: input.causationId }),
  };

  checkEnvelope(envelope);
  return envelope;
}

/** Serialises an envelope to the UTF-8 JSON bytes a bus message carries. */
export function serializeEnvelope(envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/** The headers {@link toBusMessage} sets, so consumers can route and trace without parsing. */
export const EVENT_HEADERS = {
  id: 'x-event-id',
  type: 'x-event-type',
  correlationId: 'x-correlation-id',
} as const;

/** Wraps an envelope as a bus message: keyed by its partition key, with tracing headers. */
export function toBusMessage(envelope: Envelope): BusMessage {
  return {
    key: envelope.key,
    value: serializeEnvelope(envelope),
    headers: {
      [EVENT_HEADERS.id]: envelope.id,
      [EVENT_HEADERS.type]: envelope.type,
      [EVENT_HEADERS.correlationId]: envelope.correlationId,
    },
  };
}

/**
 * Reads an envelope back from a bus message's bytes. The payload stays `unknown`: pass the
 * result to `parseEvent` to check it against the catalogue.
 *
 * @throws {EventError} `EVENT_MALFORMED` when the bytes are not JSON or not an envelope.
 */
export function deserializeEnvelope(bytes: Buffer): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    // JSON.parse's own message quotes the input, so it is not kept as the cause: causes are
    // logged, and the input may hold personal data.
    throw new EventError('EVENT_MALFORMED', 'The message value is not valid JSON.');
  }

  return checkEnvelope(json);
}

/**
 * Formats zod issues as `path: message` pairs. zod's messages name the rule broken, not the
 * value received, so the result is safe to log and to put in dead-letter headers.
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

function checkEnvelope(value: unknown): Envelope {
  const result = envelopeSchema.safeParse(value);
  if (!result.success) {
    throw new EventError(
      'EVENT_MALFORMED',
      `The message is not a valid event envelope (${describeIssues(result.error)}).`,
    );
  }

  return result.data;
}
