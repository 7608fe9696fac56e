import type { DataSource } from 'typeorm';
import { PaymentEntity } from './payment.entity.js';

/** Reads the payments. */
export interface PaymentLedger {
  /** The payments with these ids, in one query; unknown ids are absent. */
  findByIds(ids: readonly string[]): Promise<PaymentEntity[]>;
  /** The payments of these registrations, in one query; registrations without one are absent. */
  findByRegistrationIds(registrationIds: readonly string[]): Promise<PaymentEntity[]>;
}

/** Creates the ledger over the Payment service's data source. */
export function createPaymentLedger(dataSource: DataSource): PaymentLedger {
  const repository = dataSource.getRepository(PaymentEntity);
  return {
    async findByIds(ids) {
      if (ids.length === 0) return [];
      return repository
        .createQueryBuilder('p')
        .where('p.id = ANY(:ids)', { ids: [...ids] })
        .getMany();
    },
    async findByRegistrationIds(registrationIds) {
      if (registrationIds.length === 0) return [];
      return repository
        .createQueryBuilder('p')
        .where('p.registration_id = ANY(:registrationIds)', {
          registrationIds: [...registrationIds],
        })
        .getMany();
    },
  };
}
