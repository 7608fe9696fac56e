import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from './limits.config.js';

/** Finds the address of the client behind a request. */
export type ClientIpResolver = (req: IncomingMessage) => string;

/** What {@link createClientIpResolver} answers when the socket has already closed. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * Creates the resolver of client addresses. Without trusted proxies it is the socket's peer;
 * with them, `proxy-addr` walks `X-Forwarded-For` from the right and stops at the first address
 * that is not a trusted proxy, as Express's `req.ip` does. IPv4-mapped IPv6 becomes plain IPv4.
 */
export function createClientIpResolver(trustProxy: TrustProxy): ClientIpResolver {
  const trust = compileTrust(trustProxy);
  return (req) => {
    if (!req.socket?.remoteAddress) return UNKNOWN_CLIENT;
    const address = proxyAddr(req, trust);
    return ipaddr.isValid(address) ? ipaddr.process(address).toString() : UNKNOWN_CLIENT;
  };
}

/**
 * The part of an address that rate limits count by: the whole IPv4 address, but an IPv6
 * address's /64 network, since one subscriber is usually given a whole /64 and could otherwise
 * rotate through it to escape a limit.
 */
export function rateLimitSubjectOf(address: string): string {
  if (!ipaddr.isValid(address)) return UNKNOWN_CLIENT;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toRFC5952String()}/64`;
}

function compileTrust(value: TrustProxy): (address: string, hop: number) => boolean {
  if (value === true) return () => true;
  if (value === false) return () => false;
  if (typeof value === 'number') return (_address, hop) => hop < value;
  const list = typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value;
  return proxyAddr.compile([...list]);
}
