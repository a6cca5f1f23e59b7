import ipaddr from 'ipaddr.js';

/**
 * The bucket a client's failed authentications are counted in: an IPv4 address (IPv4-mapped IPv6
 * included) on its own, an IPv6 address by its /64, the smallest block one subscriber is given, so
 * one client cannot dodge the limit by walking its own /64.
 */
export function addressBucket(address: string | undefined): string {
  if (!address) return 'unknown';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return address;
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...prefix, 0, 0, 0, 0]).toString()}/64`;
}

/**
 * Buckets this process has seen blocked, and until when. Bounded: past `capacity` the entry that
 * expires soonest goes (every block lasts one window, so insertion order is expiry order), one at a
 * time; a flood of new addresses never unblocks the others at once. An evicted bucket is still
 * blocked by the shared counter: its next wrong key is refused after one key lookup.
 */
export class BlockedAddresses {
  private readonly until = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  get size(): number {
    return this.until.size;
  }

  /** Whole seconds until `bucket` is unblocked, or undefined when it is not blocked. */
  secondsLeft(bucket: string, now = Date.now()): number | undefined {
    const until = this.until.get(bucket);
    if (until === undefined) return undefined;
    if (until <= now) {
      this.until.delete(bucket);
      return undefined;
    }
    return Math.ceil((until - now) / 1000);
  }

  block(bucket: string, seconds: number, now = Date.now()): void {
    this.until.delete(bucket);
    this.until.set(bucket, now + seconds * 1000);
    for (const [oldest, expires] of this.until) {
      if (this.until.size <= this.capacity && expires > now) break;
      this.until.delete(oldest);
    }
  }
}
