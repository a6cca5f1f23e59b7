import { etagFor, ifMatchSatisfied, ifNoneMatchSatisfied } from './customer-etag';

describe('customer ETags', () => {
  it('derives a strong tag from the version', () => expect(etagFor(3)).toBe('"v3"'));

  it('If-Match: strong comparison over a list, * for any', () => {
    expect(ifMatchSatisfied('"v3"', 3)).toBe(true);
    expect(ifMatchSatisfied('"v1", "v3"', 3)).toBe(true);
    expect(ifMatchSatisfied('*', 3)).toBe(true);
    expect(ifMatchSatisfied('"v2"', 3)).toBe(false);
    expect(ifMatchSatisfied('W/"v3"', 3)).toBe(false);
    expect(ifMatchSatisfied('v3', 3)).toBe(false);
  });

  it('If-None-Match: weak comparison', () => {
    expect(ifNoneMatchSatisfied('W/"v3"', 3)).toBe(true);
    expect(ifNoneMatchSatisfied('"v3"', 3)).toBe(true);
    expect(ifNoneMatchSatisfied('"v2"', 3)).toBe(false);
  });
});
