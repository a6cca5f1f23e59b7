import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlTransaction, inPoolTransaction } from '../database/pool-transaction';
import { typeormPool } from '../database/typeorm-pool';
import { ProblemException } from '../http/problem.exception';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export interface StoredResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface IdempotentRequest {
  actor: string;
  /** Without a key the work runs once, in a plain transaction. */
  key: string | undefined;
  body: unknown;
}

/** JSON with object keys sorted, so the same body hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `produce` once per (actor, key) for IDEMPOTENCY_RETENTION_HOURS, in the same transaction that claims the key,
   * and replays its stored response afterwards. A concurrent request with the same key waits on the
   * claim's row lock and then replays; a failed attempt stores nothing, so it can be retried.
   */
  async execute<T>(
    request: IdempotentRequest,
    produce: (transaction: SqlTransaction) => Promise<StoredResponse<T>>,
  ): Promise<StoredResponse<T> & { replayed: boolean }> {
    const key = request.key;
    if (key === undefined) return this.transaction(async (transaction) => ({ ...(await produce(transaction)), replayed: false }));
    const hash = requestHash(request.body);
    return this.transaction(async (transaction) => {
      await transaction.query('DELETE FROM idempotency_keys WHERE actor = $1 AND key = $2 AND expires_at <= now()', [request.actor, key]);
      const { rows: claimed } = await transaction.query<{ key: string }>(
        `INSERT INTO idempotency_keys (actor, key, request_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))
         ON CONFLICT (actor, key) DO NOTHING RETURNING key`,
        [request.actor, key, hash, IDEMPOTENCY_RETENTION_HOURS],
      );
      if (claimed.length === 0) {
        const {
          rows: [stored],
        } = await transaction.query<{ request_hash: string; response_status: number; response_headers: Record<string, string> | null; response_body: T }>(
          'SELECT request_hash, response_status, response_headers, response_body FROM idempotency_keys WHERE actor = $1 AND key = $2',
          [request.actor, key],
        );
        if (stored.request_hash !== hash) {
          throw new ProblemException(
            HttpStatus.UNPROCESSABLE_ENTITY,
            'This Idempotency-Key was already used with a different request body; use a new key for a different request.',
            [{ field: 'Idempotency-Key', message: 'already used with a different request body' }],
          );
        }
        return { status: stored.response_status, headers: stored.response_headers ?? {}, body: stored.response_body, replayed: true };
      }
      const response = await produce(transaction);
      await transaction.query('UPDATE idempotency_keys SET response_status = $3, response_headers = $4, response_body = $5 WHERE actor = $1 AND key = $2', [
        request.actor,
        key,
        response.status,
        JSON.stringify(response.headers),
        JSON.stringify(response.body),
      ]);
      return { ...response, replayed: false };
    });
  }

  /** One transaction shape for every caller: the hot write paths' pooled connection (inPoolTransaction). */
  private transaction<T>(work: (transaction: SqlTransaction) => Promise<T>): Promise<T> {
    return inPoolTransaction(typeormPool(this.dataSource), work);
  }
}
