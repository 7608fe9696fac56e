import { randomUUID } from 'node:crypto';
import { createLogger } from '@registrar/platform';
import type { Logger } from '@registrar/platform';

/** A logger for tests: silent unless `LOG_LEVEL` asks for lines. */
export function createTestLogger(): Logger {
  return createLogger({ service: 'events-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
}

/** A name unique to this run, so reruns against a real broker never see old topics or offsets. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Text as the bytes of a message value. */
export function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
