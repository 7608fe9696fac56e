import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A weekly teaching slot as stored in the `timetable` column. */
export interface TimetableSlotRow {
  day: 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI';
  start: string;
  end: string;
  room: string;
}

/** A module offered in a term, as stored by the Module service. */
@Entity({ name: 'modules' })
export class ModuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'varchar', length: 100 })
  department!: string;

  @Column({ type: 'int' })
  credits!: number;

  @Column({ type: 'varchar', length: 20 })
  term!: string;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ name: 'seats_taken', type: 'int', default: 0 })
  seatsTaken!: number;

  @Column({ name: 'fee_amount', type: 'int', default: 0 })
  feeAmount!: number;

  @Column({ name: 'fee_currency', type: 'char', length: 3, default: 'GBP' })
  feeCurrency!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  timetable!: TimetableSlotRow[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  prerequisites!: string[];

  @Column({ name: 'registration_opens_at', type: 'timestamptz' })
  registrationOpensAt!: Date;

  @Column({ name: 'registration_closes_at', type: 'timestamptz' })
  registrationClosesAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
