import { types } from 'pg';

const INT8_OID = 20;
const DATE_OID = 1082;

/**
 * bigint columns hold amounts far below 2^53, so they are parsed as JSON-ready numbers; `date`
 * columns stay `YYYY-MM-DD` strings (pg's default turns them into local-time Date objects).
 */
export function configurePgTypes(): void {
  types.setTypeParser(INT8_OID, (value) => Number(value));
  types.setTypeParser(DATE_OID, (value) => value);
}
