import { parseDateTimeWithZone } from './schedule-customer-change.dto';

describe('parseDateTimeWithZone', () => {
  it.each([
    ['2027-03-31T00:00:00Z', '2027-03-31T00:00:00.000Z'],
    ['2027-03-31t00:00:00z', '2027-03-31T00:00:00.000Z'],
    ['2027-03-31T02:00:00+02:00', '2027-03-31T00:00:00.000Z'],
    ['2027-03-30T19:00:00.250-05:00', '2027-03-31T00:00:00.250Z'],
  ])('reads %s', (text, iso) => {
    expect(parseDateTimeWithZone(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['2027-03-31'],
    ['2027-03-31T00:00:00'],
    ['2027-03-31T00:00Z'],
    ['2027-02-30T00:00:00Z'],
    ['2027-03-31T24:00:00Z'],
    ['20270331T000000Z'],
    [1798675200],
    [null],
  ])('refuses %p: a date-time without a zone, or not a date-time', (value) => {
    expect(parseDateTimeWithZone(value)).toBeUndefined();
  });
});
