import type { ModuleEntity } from './module.entity.js';
import type { Module } from './module.types.js';

/** Turns a stored module into its GraphQL shape, as seen at `now`. */
export function toModule(row: ModuleEntity, now: Date = new Date()): Module {
  return {
    code: row.code,
    title: row.title,
    description: row.description,
    department: row.department,
    credits: row.credits,
    term: row.term,
    capacity: row.capacity,
    seatsAvailable: Math.max(0, row.capacity - row.seatsTaken),
    fee: { amount: row.feeAmount, currency: row.feeCurrency },
    timetable: row.timetable,
    prerequisites: row.prerequisites,
    registrationOpensAt: row.registrationOpensAt,
    registrationClosesAt: row.registrationClosesAt,
    registrationOpen: row.registrationOpensAt <= now && now < row.registrationClosesAt,
  };
}
