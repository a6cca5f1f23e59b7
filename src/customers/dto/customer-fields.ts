import { Transform, TransformFnParams } from 'class-transformer';
import { isEmail, ValidateBy } from 'class-validator';

export { COMPANY_NAME_MAX_LENGTH, CONTACT_EMAIL_MAX_LENGTH } from '../customer.entity';
import { COMPANY_NAME_MAX_LENGTH } from '../customer.entity';

export const NAME_LENGTH_UNIT = `1 to ${COMPANY_NAME_MAX_LENGTH} characters, counted as Unicode code points (an emoji with a variation selector, such as ❤️, is 2); at least one visible character, no control characters.`;
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

export const trimString = ({ value }: TransformFnParams): unknown => (typeof value === 'string' ? value.trim() : value);
export const normaliseEmail = ({ value }: TransformFnParams): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Keeps the metadata object exactly as parsed from JSON: class-transformer's copy would turn a `__proto__` key into a prototype. */
export const RawJsonValue = () => Transform(({ obj, key }) => (obj as Record<string, unknown>)[key]);

export const CONTRACT_DATE_FORMAT = 'An ISO 8601 calendar date, `YYYY-MM-DD` (e.g. `2026-01-31`); stored and returned in the same form. `null` clears it.';

const ASCII_PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * An email address as OpenAPI's `format: email` means it (RFC 5321: ASCII). An internationalized
 * domain is accepted in its punycode form (`xn--…`); a Unicode one is refused rather than stored in a
 * form the document does not promise or silently converted into one the caller did not send.
 */
export function IsContactEmail(): PropertyDecorator {
  return ValidateBy({
    name: 'isContactEmail',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && ASCII_PRINTABLE.test(value) && isEmail(value, { allow_utf8_local_part: false }),
      defaultMessage: (args) =>
        typeof args?.value === 'string' && !ASCII_PRINTABLE.test(args.value) && isEmail(args.value)
          ? 'contact_email must be an ASCII email address: write an internationalized domain in its punycode form (e.g. ops@xn--bcher-kva.example for ops@bücher.example)'
          : 'contact_email must be a valid email address',
    },
  });
}

export const EXTERNAL_ID_MAX_LENGTH = 255;
export const EXTERNAL_ID_RULE = `1 to ${EXTERNAL_ID_MAX_LENGTH} printable characters (no control, format or line-separator characters), without leading or trailing spaces; matched exactly.`;
const PRINTABLE = /^[^\p{C}\p{Zl}\p{Zp}]+$/u;

/** An id from another system, stored and matched exactly as sent: printable, no surrounding whitespace. */
export function IsExternalId(): PropertyDecorator {
  return ValidateBy({
    name: 'isExternalId',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && PRINTABLE.test(value) && value.trim() === value,
      defaultMessage: () => `external_id must be ${EXTERNAL_ID_RULE}`,
    },
  });
}
