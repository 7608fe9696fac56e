import { isUuid } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import express from 'express';
import type { Express, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { ConfirmationTokens } from './confirmation-token.js';
import { createRouteErrorHandler, sendHttpError } from './http-errors.js';
import { outcomeOfTestCard } from './local-provider.js';
import type { LocalCardOutcome, LocalPaymentProvider } from './local-provider.js';
import { applyProviderStatus, lockPayment } from './payment-status.js';
import type { PaymentStatusValue } from './payment.entity.js';

/** Where the paying client confirms a local payment. */
export const LOCAL_CONFIRM_PATH = '/payments/local/confirm';

const confirmBodySchema = z.object({
  paymentId: z.string().max(36),
  cardNumber: z.string().max(32),
});

/** Options of {@link mountLocalConfirmation}. */
export interface LocalConfirmationOptions {
  provider: LocalPaymentProvider;
  tokens: ConfirmationTokens;
  dataSource: DataSource;
  logger: Logger;
  /** Runs after a confirmation changed a payment, so the relay publishes its answer at once. */
  onCommitted(): void;
}

/** What confirming came to, for the answer. */
type Confirmation =
  | { outcome: 'not-found' }
  | { outcome: 'not-payable'; status: PaymentStatusValue }
  | { outcome: 'confirmed'; status: PaymentStatusValue };

/**
 * Mounts `POST /payments/local/confirm`, the local provider's stand-in for Stripe's browser-side
 * confirmation. The caller proves it is the paying client with the payment's confirmation token
 * (`Authorization: Bearer <token>`, from `Payment.confirmationToken`); the body is
 * `{ paymentId, cardNumber }`. 4242 4242 4242 4242 succeeds (200), 4000 0000 0000 0002 is declined
 * (402, card_declined), any other number is refused (400). The card number only picks the outcome:
 * it is neither stored nor logged. The outcome goes through the same path as a Stripe webhook.
 */
export function mountLocalConfirmation(app: Express, options: LocalConfirmationOptions): void {
  const logger = options.logger.child({ route: LOCAL_CONFIRM_PATH });
  app.post(
    LOCAL_CONFIRM_PATH,
    express.json({ limit: '4kb' }),
    async (req: Request, res: Response) => {
      const body = confirmBodySchema.safeParse(req.body);
      const paymentId = body.success ? body.data.paymentId.trim().toLowerCase() : '';
      if (!body.success || !isUuid(paymentId)) {
        sendHttpError(
          res,
          'BODY_INVALID',
          'Send JSON { "paymentId": "<uuid>", "cardNumber": "…" }.',
        );
        return;
      }
      const token = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '')?.[1];
      if (!token || !options.tokens.verify(token, paymentId)) {
        sendHttpError(
          res,
          'CONFIRMATION_TOKEN_INVALID',
          "Send the payment's confirmationToken as a Bearer token; read a fresh one if it expired.",
        );
        return;
      }
      const outcome = outcomeOfTestCard(body.data.cardNumber);
      if (!outcome) {
        sendHttpError(
          res,
          'CARD_NUMBER_UNSUPPORTED',
          'The local provider takes only the test cards 4242 4242 4242 4242 (succeeds) and 4000 0000 0000 0002 (declined).',
        );
        return;
      }

      const confirmation = await confirmPayment(options, paymentId, outcome);
      answerConfirmation(res, paymentId, confirmation);
      logger.info({ paymentId, outcome: confirmation.outcome }, 'local payment confirmation');
    },
    createRouteErrorHandler(logger, LOCAL_CONFIRM_PATH),
  );
}

async function confirmPayment(
  options: LocalConfirmationOptions,
  paymentId: string,
  card: LocalCardOutcome,
): Promise<Confirmation> {
  const confirmation = await options.dataSource.transaction(
    async (manager): Promise<Confirmation> => {
      const payment = await lockPayment(manager, { id: paymentId });
      if (!payment) return { outcome: 'not-found' };
      if (
        payment.provider !== 'local' ||
        payment.status !== 'REQUIRES_PAYMENT' ||
        !payment.providerReference
      ) {
        return { outcome: 'not-payable', status: payment.status };
      }
      const intent = await options.provider.confirmIntent(manager, payment.providerReference, card);
      await applyProviderStatus(manager, payment, intent, {
        cause: 'local:confirm',
        lineage: { correlationId: `local-confirm:${paymentId}` },
      });
      return { outcome: 'confirmed', status: payment.status };
    },
  );
  if (confirmation.outcome === 'confirmed') options.onCommitted();
  return confirmation;
}

function answerConfirmation(res: Response, paymentId: string, confirmation: Confirmation): void {
  switch (confirmation.outcome) {
    case 'not-found':
      return sendHttpError(res, 'PAYMENT_NOT_FOUND', `No payment has the id ${paymentId}.`);
    case 'not-payable':
      return sendHttpError(
        res,
        'PAYMENT_NOT_PAYABLE',
        `This payment is ${confirmation.status.toLowerCase()}, not waiting to be paid locally.`,
        { status: confirmation.status },
      );
    case 'confirmed':
      if (confirmation.status === 'FAILED') {
        return sendHttpError(res, 'CARD_DECLINED', 'The card was declined; the payment failed.', {
          declineCode: 'card_declined',
          paymentId,
          status: confirmation.status,
        });
      }
      res.status(200).json({ paymentId, status: confirmation.status });
      return;
    default: {
      const unknown: never = confirmation;
      return unknown;
    }
  }
}
