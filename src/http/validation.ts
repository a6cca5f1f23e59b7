import { applyDecorators, ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidateBy, ValidateIf, ValidationError, ValidationOptions } from 'class-validator';
import { FieldError, ProblemException } from './problem.exception';

/**
 * A partial-update field: absent (undefined) skips validation; `null` is a value, allowed only when
 * `nullable` (it then means "clear"). Plain `@IsOptional()` would let null reach NOT NULL columns.
 */
export function Optional({ nullable = false }: { nullable?: boolean } = {}): PropertyDecorator {
  if (nullable) return ValidateIf((_object, value) => value !== undefined && value !== null);
  return applyDecorators(
    ValidateIf((_object, value) => value !== undefined),
    IsNotNull(),
  );
}

export function IsNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isNotNull', validator: { validate: (value) => value !== null, defaultMessage: (args) => `${args?.property} may not be null` } },
    options,
  );
}

/** Length in Unicode code points: what PostgreSQL's varchar(n) and text functions count (not UTF-16 units, not graphemes). */
export function codePointLength(value: string): number {
  let length = 0;
  for (const _codePoint of value) length++;
  return length;
}

/**
 * A string of `min` to `max` code points, the unit of the column it is stored in. class-validator's
 * Length counts differently (it discounts variation selectors), which let 101 × "❤️" (202 code
 * points) past a 200 limit and into a database error.
 */
export function CodePointLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value) => typeof value === 'string' && codePointLength(value) >= min && codePointLength(value) <= max,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `${args.property} must be ${min} to ${max} characters (Unicode code points); it has ${codePointLength(args.value)}`
            : `${args?.property} must be a string`,
      },
    },
    options,
  );
}

/**
 * Nothing a reader can see: whitespace, format characters (zero-width space, joiners, BOM, bidi
 * marks), combining marks with no base character, other default-ignorable code points (Hangul
 * fillers, variation selectors) and the blank braille pattern.
 */
const NOTHING_VISIBLE = /^[\p{White_Space}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\u2800]*$/u;
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A name a person can read: at least one visible character and no control characters (newlines, tabs, escapes). */
export function IsDisplayName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDisplayName',
      validator: {
        validate: (value) => typeof value === 'string' && !NOTHING_VISIBLE.test(value) && !CONTROL_CHARACTER.test(value),
        defaultMessage: (args) =>
          typeof args?.value === 'string' && CONTROL_CHARACTER.test(args.value)
            ? `${args.property} must not contain control characters (line breaks, tabs, escapes)`
            : `${args?.property} must contain a visible character, not only whitespace, combining marks or zero-width characters`,
      },
    },
    options,
  );
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real ISO 8601 calendar date `YYYY-MM-DD` (rejects 2026-02-30 and date-times). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would map years 0-99 to 1900-1999
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: isCalendarDate,
        defaultMessage: (args) => `${args?.property} must be an existing ISO 8601 calendar date (YYYY-MM-DD), e.g. 2026-01-31`,
      },
    },
    options,
  );
}

const RFC3339_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2})))?$/;

/**
 * An RFC 3339 date (`2026-01-01`, midnight UTC) or date-time with a zone (`2026-01-01T10:00:00Z`,
 * `2026-01-01T10:00:00.5+01:00`) as a Date; anything else, including other ISO 8601 forms
 * (week dates, basic format, missing seconds or zone), is undefined. Validators and parsers both
 * call this, so what passes validation always parses.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = RFC3339_TIMESTAMP.exec(value);
  if (!match || !isCalendarDate(match[1])) return undefined;
  const [, date, hour = '0', minute = '0', second = '0', fraction = '', , sign, offsetHours = '0', offsetMinutes = '0'] = match;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const [year, month, day] = date.split('-').map(Number);
  const result = new Date(0);
  result.setUTCFullYear(year, month - 1, day);
  result.setUTCHours(Number(hour), Number(minute), Number(second), Math.floor(Number(`0${fraction || '.0'}`) * 1000));
  const offset = (Number(offsetHours) * 60 + Number(offsetMinutes)) * (sign === '-' ? -1 : 1);
  return new Date(result.getTime() - offset * 60_000);
}

export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value) => parseTimestamp(value) !== undefined,
        defaultMessage: (args) => `${args?.property} must be an RFC 3339 date or date-time with a time zone, e.g. 2026-01-01 or 2026-01-01T00:00:00Z`,
      },
    },
    options,
  );
}

/**
 * Flattens class-validator's error tree into one `{ field, message }` per bad field, dotted paths for
 * nesting. A field that is wrong in itself (not an object, say) is not reported again through its
 * parts, and repeated messages (one per failed rule) are said once.
 */
const MAX_SHOWN_FIELD_LENGTH = 100;

export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    if (constraints.whitelistValidation) {
      const shown = field.length > MAX_SHOWN_FIELD_LENGTH ? `${field.slice(0, MAX_SHOWN_FIELD_LENGTH)}…` : field;
      return [{ field: shown, message: `${shown} is not a field of this request; check its spelling` }];
    }
    if (constraints.isDefined || constraints.isNotNull) return [{ field, message: constraints.isDefined ?? constraints.isNotNull }];
    if (Object.keys(constraints).length > 0) {
      const messages = [...new Set(Object.values(constraints))].map((message) => (parent ? message.replace(error.property, field) : message));
      return [{ field, message: messages.join('; ') }];
    }
    return toFieldErrors(error.children ?? [], field);
  });
}

/** Keys that would reach an object's prototype when copied; class-transformer even throws on some. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_INPUT_DEPTH = 8;
/** NUL and unpaired UTF-16 surrogates: PostgreSQL refuses both in text and json. */
const unstorable = (text: string): boolean => text.includes('\0') || !text.isWellFormed();

/**
 * Input the database or the process must never see: prototype keys, nesting deeper than any field
 * allows, and text PostgreSQL cannot store. Found before class-transformer copies anything.
 */
function findUnsafeInput(value: object, root: 'body' | 'query', path = '', depth = 0): FieldError | undefined {
  const field = path || root;
  if (depth > MAX_INPUT_DEPTH) return { field, message: `${field} is nested more than ${MAX_INPUT_DEPTH} levels deep` };
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) {
      if (!path && root === 'query') return { field: key, message: `query parameter "${key}" is reserved and not allowed` };
      return { field, message: `${path ? `${path} key` : 'key'} "${key}" is reserved and not allowed` };
    }
    const childPath = path ? `${path}.${key}` : key;
    if (unstorable(key)) return { field, message: `${path ? `${path} keys` : 'keys'} must not contain NUL characters or unpaired surrogates` };
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === 'string' && unstorable(child)) {
      const blamed = path.split('.')[0] || key;
      return { field: blamed, message: `${childPath} must not contain NUL characters or unpaired surrogates` };
    }
    if (child !== null && typeof child === 'object') {
      const found = findUnsafeInput(child, root, childPath, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The global pipe: one error shape, unknown fields rejected, and a body that must be a JSON object. */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (value === undefined) value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw ProblemException.field('body', 'The request body must be a JSON object');
      }
    }
    if ((metadata.type === 'body' || metadata.type === 'query') && value !== null && typeof value === 'object') {
      const unsafe = findUnsafeInput(value, metadata.type);
      if (unsafe) throw ProblemException.field(unsafe.field, unsafe.message);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ProblemException.validation(toFieldErrors(errors)),
  });
}
