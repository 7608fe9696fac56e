import { setTimeout as sleep } from 'node:timers/promises';
import { invariant } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import type { ConsumedMessage, MessageHandler, SubscribeOptions } from './event-bus.js';

/** The default number of deliveries of one message before it is dead-lettered. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The default delay before the first retry, in milliseconds. */
export const DEFAULT_RETRY_BACKOFF_MS = 100;

/**
 * The longest wait between two attempts. Without a cap, a generous `maxAttempts` would double
 * the delay into hours and stall the whole partition behind one message.
 */
export const MAX_RETRY_BACKOFF_MS = 30_000;

/** How often and how patiently one message is retried. */
export interface DeliveryPolicy {
  maxAttempts: number;
  retryBackoffMs: number;
}

/** How delivering one message ended. */
export type DeliveryOutcome =
  | { status: 'handled'; attempts: number }
  | { status: 'failed'; attempts: number; error: unknown }
  | { status: 'aborted' };

/** What {@link deliverMessage} needs. */
export interface DeliverMessageInput {
  message: Omit<ConsumedMessage, 'attempt'>;
  handler: MessageHandler;
  policy: DeliveryPolicy;
  /** Aborted when the subscription stops: no further attempt starts and backoff ends early. */
  signal: AbortSignal;
  logger: Logger;
  /** Runs before each backoff; the Kafka bus heartbeats here so a long retry keeps its group. */
  beforeRetry?: () => Promise<void>;
}

/**
 * Fills in the delivery defaults of subscribe options.
 *
 * @throws when `maxAttempts` is not a positive integer or `retryBackoffMs` is negative.
 */
export function resolveDeliveryPolicy(
  options: Pick<SubscribeOptions, 'maxAttempts' | 'retryBackoffMs'>,
): DeliveryPolicy {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const retryBackoffMs = options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
  invariant(Number.isInteger(maxAttempts) && maxAttempts >= 1, 'maxAttempts must be 1 or more');
  invariant(retryBackoffMs >= 0, 'retryBackoffMs must not be negative');
  return { maxAttempts, retryBackoffMs };
}

/** Returns the wait after failed attempt number `attempt`: base × 2^(attempt − 1), capped. */
export function computeRetryDelay(policy: DeliveryPolicy, attempt: number): number {
  return Math.min(policy.retryBackoffMs * 2 ** (attempt - 1), MAX_RETRY_BACKOFF_MS);
}

/** Tells whether an error asks to be retried: anything but an explicit `retryable: false`. */
export function isRetryableError(error: unknown): boolean {
  return !(
    typeof error === 'object' &&
    error !== null &&
    Reflect.get(error, 'retryable') === false
  );
}

/**
 * Runs a handler on one message until it succeeds, fails for good or the subscription stops.
 * Never throws for a handler error: the caller dead-letters a `failed` outcome and leaves an
 * `aborted` one uncommitted. Errors of `beforeRetry` propagate.
 */
export async function deliverMessage(input: DeliverMessageInput): Promise<DeliveryOutcome> {
  const { message, handler, policy, signal } = input;

  for (let attempt = 1; ; attempt += 1) {
    if (signal.aborted) {
      return { status: 'aborted' };
    }

    try {
      await handler({ ...message, attempt });
      return { status: 'handled', attempts: attempt };
    } catch (error) {
      // A handler that fails because its service is shutting down says nothing about the
      // message, so it must not be dead-lettered.
      if (signal.aborted) {
        return { status: 'aborted' };
      }
      if (!isRetryableError(error) || attempt >= policy.maxAttempts) {
        return { status: 'failed', attempts: attempt, error };
      }
      input.logger.debug({ attempt, err: error }, 'Handler failed; retrying after backoff');
    }

    await input.beforeRetry?.();
    const waited = await waitForRetry(computeRetryDelay(policy, attempt), signal);
    if (!waited) {
      return { status: 'aborted' };
    }
  }
}

async function waitForRetry(delayMs: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(delayMs, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
