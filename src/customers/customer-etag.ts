/** A strong ETag from the customer's version, which changes on every real change. */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

function listedTags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** If-Match (RFC 9110 §13.1.1): strong comparison, so weak tags never match; `*` matches any current customer. */
export function ifMatchSatisfied(header: string, version: number): boolean {
  const current = etagFor(version);
  return listedTags(header).some((tag) => tag === '*' || tag === current);
}

/** If-None-Match (RFC 9110 §13.1.2): weak comparison. True when the client's copy is current (answer 304). */
export function ifNoneMatchSatisfied(header: string, version: number): boolean {
  const current = etagFor(version);
  return listedTags(header).some((tag) => tag === '*' || tag.replace(/^W\//, '') === current);
}
