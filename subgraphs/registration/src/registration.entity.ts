import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { RegistrationStatus } from './registration-status.js';

/** A student's registration on a module, as stored by the Registration service. */
@Entity({ name: 'registrations' })
export class RegistrationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index()
  @Column({ name: 'student_id', type: 'uuid' })
  studentId!: string;

  @Column({ name: 'module_code', type: 'varchar', length: 12 })
  moduleCode!: string;

  @Column({ type: 'varchar', length: 20 })
  term!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: RegistrationStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One status change of a registration; the history is append-only. */
@Entity({ name: 'registration_history' })
export class RegistrationHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'registration_id', type: 'uuid' })
  registrationId!: string;

  @ManyToOne(() => RegistrationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'registration_id' })
  registration?: RegistrationEntity;

  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus!: RegistrationStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20 })
  toStatus!: RegistrationStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 60 })
  actor!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}
