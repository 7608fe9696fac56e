import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';

interface CapturedLogger {
  logger: Logger;
  lines: string[];
}

function createCapturedLogger(): CapturedLogger {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'logger-test',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

const SECRETS = {
  email: 'ada.lovelace@example.org',
  dateOfBirth: '1815-12-10',
  givenName: 'Augusta',
  password: 'correct-horse-battery',
  token: 'eyJhbGciOiJFUzI1NiJ9.secret-token',
  authorization: 'Bearer secret-bearer-value',
  nestedEmail: 'nested.student@example.org',
  cookie: '__Host-registrar-access=secret-cookie-value',
};

describe('createLogger', () => {
  test('personal fields and secrets are written as [redacted], never as their values', () => {
    const { logger, lines } = createCapturedLogger();

    logger.info(
      {
        email: SECRETS.email,
        dateOfBirth: SECRETS.dateOfBirth,
        givenName: SECRETS.givenName,
        password: SECRETS.password,
        token: SECRETS.token,
        authorization: SECRETS.authorization,
        student: { id: 'student-1', email: SECRETS.nestedEmail },
        req: { method: 'POST', headers: { cookie: SECRETS.cookie, host: 'registrar.local' } },
      },
      'registration submitted',
    );

    assert.equal(lines.length, 1);
    const [line] = lines;
    for (const [field, value] of Object.entries(SECRETS)) {
      assert.equal(line!.includes(value), false, `the value of ${field} was written`);
    }
    const entry = JSON.parse(line!);
    assert.equal(entry.email, '[redacted]');
    assert.equal(entry.dateOfBirth, '[redacted]');
    assert.equal(entry.givenName, '[redacted]');
    assert.equal(entry.password, '[redacted]');
    assert.equal(entry.token, '[redacted]');
    assert.equal(entry.authorization, '[redacted]');
    assert.equal(entry.student.email, '[redacted]');
    assert.equal(entry.req.headers.cookie, '[redacted]');
  });

  test('ordinary fields, the message and the service name pass through unchanged', () => {
    const { logger, lines } = createCapturedLogger();

    logger.info(
      {
        correlationId: 'corr-42',
        registrationId: 'reg-7',
        durationMs: 12,
        student: { id: 'student-1', email: SECRETS.nestedEmail },
        req: { method: 'POST', headers: { cookie: SECRETS.cookie, host: 'registrar.local' } },
      },
      'registration submitted',
    );

    const entry = JSON.parse(lines[0]!);
    assert.equal(entry.msg, 'registration submitted');
    assert.equal(entry.service, 'logger-test');
    assert.equal(entry.correlationId, 'corr-42');
    assert.equal(entry.registrationId, 'reg-7');
    assert.equal(entry.durationMs, 12);
    assert.equal(entry.student.id, 'student-1');
    assert.equal(entry.req.method, 'POST');
    assert.equal(entry.req.headers.host, 'registrar.local');
  });

  test('fields bound to a child logger are redacted as well', () => {
    const { logger, lines } = createCapturedLogger();

    logger.child({ email: SECRETS.email, student: { email: SECRETS.nestedEmail } }).warn('seen');

    const [line] = lines;
    assert.equal(line!.includes(SECRETS.email), false);
    assert.equal(line!.includes(SECRETS.nestedEmail), false);
    assert.equal(JSON.parse(line!).email, '[redacted]');
  });

  test('lines below the configured level are not written', () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'logger-test',
      level: 'warn',
      destination: { write: (line: string) => void lines.push(line) },
    });

    logger.info('started');
    logger.warn('misconfigured');

    assert.deepEqual(
      lines.map((line) => JSON.parse(line).msg),
      ['misconfigured'],
    );
  });
});
