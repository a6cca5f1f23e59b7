import { IsString, validateSync } from 'class-validator';
import { ProblemException } from './problem.exception';
import { createValidationPipe, IsDisplayName, isCalendarDate, parseTimestamp } from './validation';

describe('isCalendarDate', () => {
  it.each(['2026-01-31', '2028-02-29', '0001-01-01', '9999-12-31'])('accepts %s', (value) => expect(isCalendarDate(value)).toBe(true));
  it.each(['2026-02-29', '2026-02-30', '2026-04-31', '2026-00-10', '2026-1-1', '2026-01-01T00:00:00Z', '', 20260101, null])('rejects %j', (value) =>
    expect(isCalendarDate(value)).toBe(false),
  );
});

describe('IsDisplayName', () => {
  class Named {
    @IsDisplayName()
    name: string;
  }
  const problems = (name: string) => validateSync(Object.assign(new Named(), { name })).flatMap((error) => Object.values(error.constraints ?? {}));

  it.each(['Acme', 'é', 'e\u0301', '\u2764\uFE0F', '株式会社', '  x  ', '\u{1D49C}', '\u0627\u200F'])('accepts %j', (name) =>
    expect(problems(name)).toEqual([]),
  );
  it.each([
    ['whitespace', ' \u00A0\u3000'],
    ['format characters', '\u200B\u200D\uFEFF\u200E'],
    ['combining marks only', '\u0301\u0301'],
    ['enclosing marks only', '\u20DD'],
    ['Hangul fillers', '\u3164\u115F\u1160'],
    ['variation selectors', '\uFE0F\u{E0100}'],
    ['the blank braille pattern', '\u2800'],
    ['an empty string', ''],
  ])('refuses %s: nothing visible', (_label, name) => expect(problems(name)).toEqual([expect.stringMatching(/must contain a visible character/)]));
  it.each(['a\nb', 'a\tb', 'a\u001Bb', 'a\u0085b'])('refuses control characters in %j', (name) =>
    expect(problems(name)).toEqual([expect.stringMatching(/control characters/)]),
  );
});

describe('parseTimestamp (RFC 3339)', () => {
  it.each([
    ['2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T10:20:30Z', '2024-01-01T10:20:30.000Z'],
    ['2024-01-01t10:20:30z', '2024-01-01T10:20:30.000Z'],
    ['2024-01-01T10:20:30.5+01:00', '2024-01-01T09:20:30.500Z'],
    ['2024-01-01T00:00:00.123456789-05:30', '2024-01-01T05:30:00.123Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ])('parses %s', (value, iso) => expect(parseTimestamp(value)?.toISOString()).toBe(iso));

  it.each([
    '2024-W01',
    '20240101',
    '2024-01-01T10',
    '2024-01-01T00:00:00,5Z',
    '2024-01-01T00:00:00.5+01',
    '2024-01-01T0000Z',
    '2024-01-01T00:00:00',
    '2024-02-30',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:60:00Z',
    '2024-01-01T10:00:60Z',
    '2024-01-01T10:00:00+24:00',
    '2024-01-01 10:00:00Z',
    ' 2024-01-01',
    '',
    'now',
    20240101,
    null,
  ])('rejects %j', (value) => expect(parseTimestamp(value)).toBeUndefined());
});

describe('the global validation pipe', () => {
  class Body {
    @IsString()
    name: string;
  }
  const pipe = createValidationPipe();
  const asBody = { type: 'body', metatype: Body } as const;
  const problemOf = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProblemException);
    return error as ProblemException;
  };

  it('passes a valid body through as an instance', async () => {
    await expect(pipe.transform({ name: 'Acme' }, asBody)).resolves.toBeInstanceOf(Body);
  });

  it('names unknown fields and bad fields at once, as one 400 problem', async () => {
    const problem = await problemOf(pipe.transform({ name: 7, nmae: 'x' }, asBody));
    expect(problem.getStatus()).toBe(400);
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['name', 'nmae']);
  });

  it.each([[null], [[1, 2]], ['text'], [5]])('refuses a body that is not an object: %j', async (body) => {
    const problem = await problemOf(pipe.transform(body, asBody));
    expect(problem.errors).toEqual([{ field: 'body', message: 'The request body must be a JSON object' }]);
  });

  it('treats a missing body as {}', async () => {
    const problem = await problemOf(pipe.transform(undefined, asBody));
    expect(problem.errors.map((error) => error.field)).toEqual(['name']);
  });

  it('refuses prototype keys and unstorable text before anything copies them', async () => {
    expect((await problemOf(pipe.transform(JSON.parse('{"name":"a","__proto__":{"x":1}}'), asBody))).errors[0].message).toMatch(/reserved/);
    expect((await problemOf(pipe.transform({ name: 'a\u0000b' }, asBody))).errors[0]).toMatchObject({ field: 'name' });
  });
});
