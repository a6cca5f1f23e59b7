import { metadataPath } from './customers.repository';

describe('metadataPath', () => {
  it('matches a string always, and the number or boolean whose JSON text the value is', () => {
    expect(metadataPath({ region: 'eu' })).toBe('$."region" == "eu"');
    expect(metadataPath({ seats: '5' })).toBe('($."seats" == "5" || $."seats" == 5)');
    expect(metadataPath({ ratio: '0.5' })).toBe('($."ratio" == "0.5" || $."ratio" == 0.5)');
    expect(metadataPath({ vip: 'true' })).toBe('($."vip" == "true" || $."vip" == true)');
  });

  it('does not read non-canonical numbers as numbers', () => {
    for (const value of ['5.0', '05', '+5', '1e3', ' 5', '', 'NaN', 'Infinity', '0x10'])
      expect(metadataPath({ n: value })).toBe(`$."n" == ${JSON.stringify(value)}`);
  });

  it('quotes keys and values, so no input can change the expression', () => {
    expect(metadataPath({ 'a" || $.b == "x': 'y") == true || ("' })).toBe('$."a\\" || $.b == \\"x" == "y\\") == true || (\\""');
  });

  it('joins keys with &&', () => {
    expect(metadataPath({ a: 'x', b: 'y' })).toBe('$."a" == "x" && $."b" == "y"');
  });
});
