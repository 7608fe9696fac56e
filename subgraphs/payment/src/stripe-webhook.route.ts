import { queryRows } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import express from 'express';
import type { Express, Request, Response } from 'express';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { createRouteErrorHandler, sendHttpError } from './http-errors.js';
import type { IntentStatus } from './payment-provider.js';
import { applyProviderStatus, lockPayment } from './payment-status.js';

/** Where Stripe delivers its events. */
export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** How far a signature's timestamp may lie in the past: five minutes, Stripe's default. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The PaymentIntent events this service acts on, and what each says about the intent. */
const INTENT_EVENTS: Readonly<Record<string, IntentStatus>> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
  'payment_intent.processing': 'processing',
};

// Only the fields acted on; Stripe adds fields freely, which are let through.
const intentEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(100),
  data: z.object({
    object: z.object({
      object: z.literal('payment_intent'),
      id: z.string().regex(/^pi_[A-Za-z0-9_]{1,252}$/),
      last_payment_error: z.object({ code: z.string().max(100).nullish() }).nullish(),
    }),
  }),
});

/** A verified PaymentIntent event, as this service reads it. */
export type IntentEvent = z.infer<typeof intentEventSchema>;

/** What applying one Stripe event came to. */
export type WebhookOutcome =
  /** The payment moved on (its answer is in the outbox). */
  | 'applied'
  /** The payment was already past what the event says (a late or out-of-order event). */
  | 'unchanged'
  /** This event id was applied before: a redelivery. */
  | 'duplicate'
  /** No payment has this intent (another system's, on the same Stripe account). */
  | 'unknown-intent';

/** Options of {@link mountStripeWebhook}. */
export interface StripeWebhookOptions {
  /** The Stripe client, whose `webhooks` verify signatures. */
  client: Stripe;
  /** The endpoint's signing secret, `whsec_…`. */
  webhookSecret: string;
  dataSource: DataSource;
  logger: Logger;
  /** Runs after an event changed a payment, so the relay publishes its answer at once. */
  onCommitted(): void;
  /** @default {@link WEBHOOK_TOLERANCE_SECONDS} */
  toleranceSeconds?: number;
}

/**
 * Mounts `POST /webhooks/stripe`. Each delivery is verified over its raw body with the signing
 * secret and a five-minute timestamp tolerance (400 otherwise, before anything is read), then
 * applied in one short transaction with the record of its event id, so each event acts once
 * whatever order and however often Stripe delivers. The answer is a fast 200; a 500 asks Stripe
 * to deliver again later.
 */
export function mountStripeWebhook(app: Express, options: StripeWebhookOptions): void {
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const logger = options.logger.child({ route: STRIPE_WEBHOOK_PATH });
  app.post(
    STRIPE_WEBHOOK_PATH,
    express.raw({ type: 'application/json', limit: '1mb' }),
    async (req: Request, res: Response) => {
      const event = verifyDelivery(req, res, options, tolerance, logger);
      if (!event) return;
      const status = INTENT_EVENTS[event.type];
      if (!status) {
        res.status(200).json({ received: true });
        return;
      }
      const parsed = intentEventSchema.safeParse(event);
      if (!parsed.success) {
        logger.warn({ eventId: event.id, type: event.type }, 'stripe event of unexpected shape');
        sendHttpError(res, 'WEBHOOK_EVENT_INVALID', 'The event is not a PaymentIntent event.');
        return;
      }

      const outcome = await applyStripeEvent(options.dataSource, parsed.data, status);
      if (outcome === 'applied') options.onCommitted();
      logger.info({ eventId: event.id, type: event.type, outcome }, 'stripe event handled');
      res.status(200).json({ received: true });
    },
    createRouteErrorHandler(logger, STRIPE_WEBHOOK_PATH),
  );
}

/**
 * Applies one verified PaymentIntent event in one transaction with the record of its id, so a
 * redelivery finds the record and changes nothing, and a failure leaves neither.
 */
export function applyStripeEvent(
  dataSource: DataSource,
  event: IntentEvent,
  status: IntentStatus,
): Promise<WebhookOutcome> {
  return dataSource.transaction(async (manager) => {
    const claimed = await queryRows(
      manager,
      `INSERT INTO stripe_events (id, type) VALUES ($1, $2)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [event.id, event.type],
    );
    if (claimed.length === 0) return 'duplicate';

    const intent = event.data.object;
    const payment = await lockPayment(manager, { providerReference: intent.id });
    if (!payment) return 'unknown-intent';
    const changed = await applyProviderStatus(
      manager,
      payment,
      { status, failureCode: intent.last_payment_error?.code ?? null },
      { cause: `stripe:${event.type}`, lineage: { correlationId: `stripe:${event.id}` } },
    );
    return changed ? 'applied' : 'unchanged';
  });
}

// Returns the verified event, or answers 400 and returns undefined.
function verifyDelivery(
  req: Request,
  res: Response,
  options: StripeWebhookOptions,
  tolerance: number,
  logger: Logger,
): Stripe.Event | undefined {
  const signature = req.header('stripe-signature');
  if (!Buffer.isBuffer(req.body) || !signature) {
    sendHttpError(
      res,
      'WEBHOOK_SIGNATURE_INVALID',
      'Send the raw JSON body with its Stripe-Signature header.',
    );
    return undefined;
  }
  try {
    return options.client.webhooks.constructEvent(
      req.body,
      signature,
      options.webhookSecret,
      tolerance,
    );
  } catch {
    const code = isTooOld(signature, tolerance)
      ? 'WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE'
      : 'WEBHOOK_SIGNATURE_INVALID';
    logger.warn({ code }, 'stripe webhook refused');
    sendHttpError(
      res,
      code,
      code === 'WEBHOOK_SIGNATURE_INVALID'
        ? 'The Stripe-Signature header does not sign this body with the webhook secret.'
        : `The signature is more than ${tolerance} seconds old; it is not accepted again.`,
    );
    return undefined;
  }
}

// Reads the signed timestamp (`t=`) only to say why a delivery was refused; the SDK decides.
function isTooOld(signature: string, tolerance: number): boolean {
  const stamp = signature
    .split(',')
    .map((part) => part.trim())
    .find((part) => part.startsWith('t='));
  const seconds = Number(stamp?.slice(2));
  return Number.isFinite(seconds) && Date.now() / 1000 - seconds > tolerance;
}
