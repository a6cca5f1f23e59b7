import { isDatabaseUnavailable, isLockTimeout, isPoolExhausted } from './database-errors';

describe('isDatabaseUnavailable', () => {
  it.each([['ECONNREFUSED'], ['08006'], ['28P01'], ['3D000'], ['53300'], ['53100'], ['57P01'], ['57P03']])(
    '%s (and wrapped by TypeORM) is the database being unavailable',
    (code) => {
      expect(isDatabaseUnavailable({ code })).toBe(true);
      expect(isDatabaseUnavailable({ name: 'QueryFailedError', driverError: { code } })).toBe(true);
    },
  );

  it('a database refusing new connections (ALLOW_CONNECTIONS false) is unavailable', () => {
    expect(isDatabaseUnavailable({ code: '55000', message: 'database "x" is not currently accepting connections' })).toBe(true);
  });

  it.each([['23505'], ['22P02'], ['55P03'], ['55000'], ['57014'], [undefined]])('%s is not', (code) => {
    expect(isDatabaseUnavailable({ code, message: 'something else' })).toBe(false);
  });

  it('tells a lock timeout and an exhausted pool apart', () => {
    expect(isLockTimeout({ driverError: { code: '55P03' } })).toBe(true);
    expect(isPoolExhausted(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isPoolExhausted({ code: '53300' })).toBe(false);
  });
});
