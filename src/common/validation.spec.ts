import { isCalendarDate } from './validation';

describe('isCalendarDate', () => {
  it.each(['2026-01-31', '2028-02-29', '0001-01-01', '9999-12-31'])('accepts %s', (value) => expect(isCalendarDate(value)).toBe(true));
  it.each(['2026-02-29', '2026-02-30', '2026-04-31', '2026-00-10', '2026-1-1', '2026-01-01T00:00:00Z', '', 20260101, null])('rejects %j', (value) =>
    expect(isCalendarDate(value)).toBe(false),
  );
});
