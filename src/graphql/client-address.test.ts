import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.js';

describe('client address', () => {
  it('is the peer address unless proxies are trusted: anyone can send X-Forwarded-For', () => {
    expect(clientAddress('10.0.0.7', undefined, 0)).toBe('10.0.0.7');
    expect(clientAddress('10.0.0.7', '203.0.113.9', 0)).toBe('10.0.0.7');
  });

  it('takes the entry as many hops from the right as there are trusted proxies', () => {
    // The client forged the first entry; the load balancer appended the address it saw.
    expect(clientAddress('10.0.0.2', '1.1.1.1, 198.51.100.4', 1)).toBe('198.51.100.4');
    expect(clientAddress('10.0.0.2', ['1.1.1.1, 198.51.100.4', '10.0.0.9'], 2)).toBe('198.51.100.4');
    expect(clientAddress('10.0.0.2', '198.51.100.4', 3)).toBe('198.51.100.4');
    expect(clientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    // Not an address: the walk stops at the last trusted hop.
    expect(clientAddress('10.0.0.2', '198.51.100.4, nonsense', 2)).toBe('10.0.0.2');
  });

  it('reads IPv4-mapped IPv6 as IPv4 and budgets IPv6 by its /64', () => {
    expect(clientAddress('::ffff:127.0.0.1', undefined, 0)).toBe('127.0.0.1');
    expect(clientAddress('2001:db8:aa:bb:1:2:3:4', undefined, 0)).toBe('2001:db8:aa:bb::/64');
    expect(clientAddress('2001:0db8:00aa:00bb::9', undefined, 0)).toBe('2001:db8:aa:bb::/64');
    expect(clientAddress('::1', undefined, 0)).toBe('0:0:0:0::/64');
    expect(clientAddress('10.0.0.2', '[2001:db8::1]', 1)).toBe('2001:db8:0:0::/64');
  });
});
