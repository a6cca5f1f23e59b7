import { Column } from 'typeorm';

/**
 * The API rate limit a tier grants: embedded in the customer entity (two columns of `customers`)
 * and used as-is in the tier table, so the nested `rate_limit` of the API needs no mapping.
 */
export class RateLimit {
  /** Sustained requests per second the customer's API keys may make. */
  @Column({ name: 'rate_limit_requests_per_second', type: 'integer' })
  requests_per_second: number;

  /** Requests allowed in a burst above the sustained rate; at least `requests_per_second`. */
  @Column({ name: 'rate_limit_burst', type: 'integer' })
  burst: number;
}
