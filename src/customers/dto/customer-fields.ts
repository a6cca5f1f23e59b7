import { Transform, TransformFnParams } from 'class-transformer';

export { COMPANY_NAME_MAX_LENGTH, CONTACT_EMAIL_MAX_LENGTH } from '../customer.entity';
import { COMPANY_NAME_MAX_LENGTH } from '../customer.entity';

export const NAME_LENGTH_UNIT = `1 to ${COMPANY_NAME_MAX_LENGTH} characters, counted as Unicode code points (an emoji with a variation selector, such as ❤️, is 2); at least one visible character, no control characters.`;
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

export const trimString = ({ value }: TransformFnParams): unknown => (typeof value === 'string' ? value.trim() : value);
export const normaliseEmail = ({ value }: TransformFnParams): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Keeps the metadata object exactly as parsed from JSON: class-transformer's copy would turn a `__proto__` key into a prototype. */
export const RawJsonValue = () => Transform(({ obj, key }) => (obj as Record<string, unknown>)[key]);

export const CONTRACT_DATE_FORMAT = 'An ISO 8601 calendar date, `YYYY-MM-DD` (e.g. `2026-01-31`); stored and returned in the same form. `null` clears it.';
