import { formatTimestamp } from './timestamps';

/** What the API has always returned: toISOString without its milliseconds. */
const isoWithoutMilliseconds = (value: Date) => `${value.toISOString().slice(0, -5)}Z`;

describe('formatTimestamp', () => {
  it('writes UTC to the whole second, as toISOString would without milliseconds', () => {
    expect(formatTimestamp(new Date('2026-01-20T15:00:00.999Z'))).toBe('2026-01-20T15:00:00Z');
    for (let time = Date.UTC(1000, 0, 1); time < Date.UTC(9999, 11, 31); time += 86_399_999_937) {
      const value = new Date(time);
      expect(formatTimestamp(value)).toBe(isoWithoutMilliseconds(value));
    }
  });

  it('keeps years outside 1000-9999 in ISO form and refuses an invalid date', () => {
    for (const value of [
      new Date(Date.UTC(999, 11, 31, 23, 59, 59)),
      new Date('0001-01-01T00:00:00Z'),
      new Date(Date.UTC(10000, 0, 1)),
      new Date(Date.UTC(-1, 0, 1)),
    ]) {
      expect(formatTimestamp(value)).toBe(isoWithoutMilliseconds(value));
    }
    expect(formatTimestamp(new Date(Date.UTC(999, 0, 1)))).toBe('0999-01-01T00:00:00Z');
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
