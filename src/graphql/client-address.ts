import { isIP } from 'node:net';

/**
 * The client address that sign-in and sign-up budgets count by, alike for HTTP requests and
 * websocket upgrades.
 *
 * With `trustedHops` 0 (the default) it is the connection's peer address: `X-Forwarded-For` is
 * ignored, since any client can send one. Behind proxies that each append the address they saw
 * (a load balancer: 1), it is the entry that many hops from the right of `X-Forwarded-For`, as
 * Express's numeric `trust proxy` reads it; an entry that is not an IP address stops the walk at
 * the last trusted one. IPv4-mapped IPv6 addresses are read as IPv4, and IPv6 addresses are cut to
 * their /64 (one subscriber's share: budgeting single IPv6 addresses would let one machine take
 * 2^64 budgets).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  let address = peer ?? 'unknown';
  if (trustedHops > 0 && forwardedFor !== undefined) {
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    for (let i = 0; i < trustedHops && i < hops.length; i++) {
      const candidate = hops[hops.length - 1 - i]!;
      if (isIP(unbracket(candidate)) === 0) break;
      address = unbracket(candidate);
    }
  }
  return budgetKey(address);
}

/** `[2001:db8::1]` → `2001:db8::1`. */
function unbracket(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}

/** The form budgets are kept under: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 as its /64. */
export function budgetKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const groups = expandIPv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

/** The eight 16-bit groups of an IPv6 address (lower-case, no leading zeros), or null. */
function expandIPv6(address: string): string[] | null {
  const plain = address.split('%')[0]!.toLowerCase();
  if (plain.includes('.')) return null;
  const [head, tail] = plain.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  const groups = [...left, ...fill, ...right];
  return groups.length === 8 ? groups.map((g) => parseInt(g, 16).toString(16)) : null;
}
