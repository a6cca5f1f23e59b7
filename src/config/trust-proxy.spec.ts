import { parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['loopback', 'loopback'],
    [' loopback , 10.0.0.0/8,192.0.2.1, fd00::/8 ', 'loopback,10.0.0.0/8,192.0.2.1,fd00::/8'],
    ['uniquelocal,linklocal', 'uniquelocal,linklocal'],
  ])('%j → %j', (value, setting) => {
    expect(parseTrustProxy(value)).toEqual(setting);
  });

  it.each(['yes', '10.0.0.0/33', '10.0.0', 'loopback,,', '-1', '1.5', '101', 'localhost'])('refuses %j, naming the problem', (value) => {
    expect(() => parseTrustProxy(value)).toThrow(/.+/);
  });
});
