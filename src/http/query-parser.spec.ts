import { queryParser } from './query-parser';

describe('queryParser', () => {
  const parse = queryParser(['metadata']);

  it('parses like node:querystring', () => {
    expect(parse('tier=scale&limit=2&tier=growth')).toEqual({ tier: ['scale', 'growth'], limit: '2' });
  });

  it('folds deepObject parameters into an object, keeping empty keys and repeated values for validation', () => {
    const query = parse('metadata%5Bregion%5D=eu&metadata[plan_source]=crm&metadata[]=x&metadata[seats]=1&metadata[seats]=2');
    expect({ ...(query.metadata as object) }).toEqual({ region: 'eu', plan_source: 'crm', '': 'x', seats: ['1', '2'] });
  });

  it('leaves nested brackets and other names as keys of their own', () => {
    expect(parse('metadata[a][b]=x&other[a]=y')).toEqual({ 'metadata[a][b]': 'x', 'other[a]': 'y' });
  });

  it('an object made from __proto__ is a plain key, not a prototype', () => {
    const query = parse('metadata[__proto__]=x');
    expect(Object.keys(query.metadata as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
