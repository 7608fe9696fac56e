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
export type PaymentProvider = 'stripe' | 'local';

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
  provider!: PaymentProvider;

  @Column({ name: 'provider_reference', type: 'varchar', length: 255, nullable: true })
  providerReference!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
