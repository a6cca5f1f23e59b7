import { types } from 'pg';

const INT8_OID = 20;
const DATE_OID = 1082;
const TIMESTAMPTZ_OID = 1184;

/**
 * bigint columns hold amounts far below 2^53, so they are parsed as JSON-ready numbers; `date`
 * columns stay `YYYY-MM-DD` strings (pg's default turns them into local-time Date objects);
 * `timestamptz` values in UTC take a fast path (below).
 */
export function configurePgTypes(): void {
  types.setTypeParser(INT8_OID, (value) => Number(value));
  types.setTypeParser(DATE_OID, (value) => value);
  types.setTypeParser(TIMESTAMPTZ_OID, parseTimestamptz);
}

const parseTimestamptzByPg = types.getTypeParser(TIMESTAMPTZ_OID, 'text');

/**
 * `2026-11-28 23:29:28.123456+00`, what PostgreSQL sends for a timestamptz when the session's time
 * zone is UTC, read as the ISO 8601 string it nearly is by the engine's own date parser (a list page
 * has forty timestamps; pg's regex-based parser took ~4 % of its CPU). Anything else (other offsets,
 * BC years, infinity) goes to pg's parser. Both truncate to milliseconds.
 */
export function parseTimestamptz(value: string): Date {
  if (value.length > 22 && value.charCodeAt(10) === 32 && value.endsWith('+00')) {
    const time = Date.parse(`${value.slice(0, 10)}T${value.slice(11, -3)}Z`);
    if (!Number.isNaN(time)) return new Date(time);
  }
  return parseTimestamptzByPg(value) as Date;
}
