import { types } from 'pg';
import { parseTimestamptz } from './pg-types';

const parseByPg = types.getTypeParser(1184, 'text') as (value: string) => Date;

describe('parseTimestamptz', () => {
  it('reads UTC timestamps with 0 to 6 fractional digits exactly as pg does (truncated to milliseconds)', () => {
    const values: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const instant = new Date(Date.UTC(1970 + (i % 130), i % 12, 1 + (i % 28), i % 24, (i * 7) % 60, (i * 13) % 60));
      const fraction = String((i * 7919) % 1_000_000)
        .padStart(6, '0')
        .slice(0, i % 7);
      values.push(`${instant.toISOString().slice(0, 19).replace('T', ' ')}${fraction ? `.${fraction}` : ''}+00`);
    }
    values.push(
      '2026-11-28 23:59:59.999999+00',
      '2024-02-29 00:00:00+00',
      '0001-01-01 00:00:00+00',
      '0099-12-31 23:59:59+00',
      '0100-01-01 00:00:00.5+00',
      '9999-12-31 23:59:59.9995+00',
    );
    for (const value of values) expect([value, parseTimestamptz(value).getTime()]).toEqual([value, parseByPg(value).getTime()]);
  });

  it('hands other zones, BC years, infinity and anything malformed to pg', () => {
    for (const value of [
      '2026-11-28 23:29:28.5+01',
      '2026-11-28 23:29:28.1234567+00',
      '12026-11-28 23:29:28+00',
      '2026-11-28 23:29:2x+00',
      '2026-11-28 23:29:28.12x+00',
      '2026-11-28 23:29:28-05:30',
      '2026-11-28 23:29:28+05:45:10',
      '0044-03-15 12:00:00+00 BC',
      'infinity',
      '-infinity',
    ]) {
      expect([value, parseTimestamptz(value)]).toEqual([value, parseByPg(value)]);
    }
  });
});
