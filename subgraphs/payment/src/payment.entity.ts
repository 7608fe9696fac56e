import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The states of a payment, as stored in `payments.status` (Stripe's PaymentIntent lifecycle). */
export const PAYMENT_STATUSES = [
  'REQUIRES_PAYMENT',
  'PROCESSING',
  'SUCCEEDED',
  'FAILED',
  'REFUNDED',
  'CANCELLED',
] as const;
/** One of {@link PAYMENT_STATUSES}. */
export type PaymentStatusValue = (typeof PAYMENT_STATUSES)[number];

/** Who takes the money: Stripe, or the embedded default's local stand-in. */
export type PaymentProviderName = 'stripe' | 'local';

/**
 * The payment of one registration's fee, as stored by the Payment service. It holds the
 * provider's reference (a PaymentIntent id) and never any card data.
 */
@Entity({ name: 'payments' })
export class PaymentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  /** The paying student, kept so that ownership is checked without asking another service. */
  @Column({ name: 'student_id', type: 'uuid' })
  studentId!: string;

  /** Minor units (pence, cents). */
  @Column({ type: 'int' })
  amount!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 20, default: 'REQUIRES_PAYMENT' })
  status!: PaymentStatusValue;

  @Column({ type: 'varchar', length: 20 })
  provider!: PaymentProviderName;

  @Column({ name: 'provider_reference', type: 'varchar', length: 255, nullable: true })
  providerReference!: string | null;

  /**
   * What the paying browser confirms the intent with (Stripe's `client_secret`). It is a
   * credential for this one payment, not card data: only its owner is shown it, and it is never
   * logged. Null for the local provider, which uses a confirmation token instead.
   */
  @Column({ name: 'client_secret', type: 'varchar', length: 255, nullable: true })
  clientSecret!: string | null;

  /** The provider's code for why the payment failed (such as card_declined); null otherwise. */
  @Column({ name: 'failure_reason', type: 'varchar', length: 100, nullable: true })
  failureReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
