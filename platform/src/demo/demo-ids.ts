import { createHash } from 'node:crypto';

/**
 * Derives a stable UUID (version 5 layout, SHA-1 of a name) so that the demo data seeded by
 * separate services agrees on ids without sharing a database.
 */
export function demoUuid(name: string): string {
  return nameBasedUuid(`registrar-demo:${name}`);
}

/**
 * Derives a UUID (version 5 layout) from a name: the same name always gives the same id, so a
 * retried command or a second seeding agrees with the first.
 */
export function nameBasedUuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(18, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
