import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { createClientIpResolver, rateLimitSubjectOf } from './client-ip.js';

function request(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  } as unknown as IncomingMessage;
}

describe('createClientIpResolver', () => {
  test('without trusted proxies the socket address is the client, whatever X-Forwarded-For says', () => {
    const clientIpOf = createClientIpResolver(false);
    assert.equal(clientIpOf(request('203.0.113.5', '198.51.100.1')), '203.0.113.5');
  });

  test('a trusted proxy hop gives the address it saw, not what the client claimed', () => {
    const clientIpOf = createClientIpResolver('loopback');
    const forged = '6.6.6.6, 198.51.100.7';
    assert.equal(clientIpOf(request('127.0.0.1', forged)), '198.51.100.7');
    assert.equal(clientIpOf(request('203.0.113.5', forged)), '203.0.113.5');
  });

  test('a number trusts that many hops', () => {
    const clientIpOf = createClientIpResolver(2);
    assert.equal(
      clientIpOf(request('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.1')),
      '198.51.100.7',
    );
  });

  test('an IPv4-mapped IPv6 socket address becomes plain IPv4', () => {
    assert.equal(createClientIpResolver(false)(request('::ffff:192.0.2.10')), '192.0.2.10');
  });

  test('a closed socket is "unknown"', () => {
    assert.equal(createClientIpResolver(false)(request(undefined)), 'unknown');
  });
});

describe('rateLimitSubjectOf', () => {
  test('IPv4 counts per address, IPv6 per /64 network', () => {
    assert.equal(rateLimitSubjectOf('192.0.2.10'), '192.0.2.10');
    assert.equal(rateLimitSubjectOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(rateLimitSubjectOf('2001:db8:1:2:bbbb::9'), '2001:db8:1:2::/64');
    assert.equal(rateLimitSubjectOf('::ffff:192.0.2.10'), '192.0.2.10');
    assert.equal(rateLimitSubjectOf('not an address'), 'unknown');
  });
});
