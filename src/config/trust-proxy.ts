import ipaddr from 'ipaddr.js';

/** Express's own names for address ranges (proxy-addr). */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export type TrustProxySetting = boolean | number | string;

/**
 * `TRUST_PROXY` as Express's `trust proxy` setting: `false` (the client is the socket's peer),
 * `true` (the left-most X-Forwarded-For entry: anyone can claim any address), a hop count, or a
 * comma-separated list of proxy addresses, CIDRs and Express's names (loopback, linklocal, uniquelocal).
 * Throws a message naming what is wrong.
 */
export function parseTrustProxy(value: string): TrustProxySetting {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops > 100) throw new Error(`a hop count must be at most 100, not ${hops}`);
    return hops;
  }
  const entries = trimmed.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (RANGE_NAMES.has(entry)) continue;
    if (!isAddressOrCidr(entry)) throw new Error(`"${entry}" is not an IP address, a CIDR or one of loopback, linklocal, uniquelocal`);
  }
  return entries.join(',');
}

/** Dotted-quad IPv4 or IPv6 only: ipaddr.js's isValid also takes inet_aton forms such as `10.0.0` or `167772161`. */
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const ipv4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  const ipv6 = !ipv4 && address.includes(':') && ipaddr.IPv6.isValid(address);
  if (!ipv4 && !ipv6) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (ipv4 ? 32 : 128));
}
