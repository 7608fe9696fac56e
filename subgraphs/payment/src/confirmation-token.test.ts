import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFIRMATION_TOKEN_SECONDS, createConfirmationTokens } from './confirmation-token.js';

const PAYMENT = '33333333-3333-5333-8333-333333333333';
const OTHER = '44444444-4444-5444-8444-444444444444';
const NOW = new Date('2026-09-01T10:00:00Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('confirmation tokens', () => {
  const tokens = createConfirmationTokens();

  test('a token issued for a payment confirms that payment until it expires', () => {
    const token = tokens.issue(PAYMENT, NOW);
    assert.equal(tokens.verify(token, PAYMENT, NOW), true);
    assert.equal(tokens.verify(token, PAYMENT, later(CONFIRMATION_TOKEN_SECONDS - 1)), true);
  });

  test('a token is refused once its fifteen minutes are over', () => {
    const token = tokens.issue(PAYMENT, NOW);
    assert.equal(tokens.verify(token, PAYMENT, later(CONFIRMATION_TOKEN_SECONDS)), false);
  });

  test("a token does not confirm another payment, nor does another process's token", () => {
    const token = tokens.issue(PAYMENT, NOW);
    assert.equal(tokens.verify(token, OTHER, NOW), false);
    assert.equal(createConfirmationTokens().verify(token, PAYMENT, NOW), false);
  });

  test('a token with a pushed-back expiry or a changed signature is refused', () => {
    const [expiry, mac] = tokens.issue(PAYMENT, NOW).split('.') as [string, string];
    assert.equal(tokens.verify(`${Number(expiry) + 3600}.${mac}`, PAYMENT, NOW), false);
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(tokens.verify(`${expiry}.${flipped}`, PAYMENT, NOW), false);
  });

  test('malformed tokens are refused without throwing', () => {
    for (const token of ['', 'abc', '1.2.3', `${'9'.repeat(20)}.x`, 'Bearer x']) {
      assert.equal(tokens.verify(token, PAYMENT, NOW), false, token);
    }
  });
});
