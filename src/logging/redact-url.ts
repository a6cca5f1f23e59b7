/** Query parameters that carry credentials when a client puts one in the URL (which the API refuses, but the URL is still logged). */
const CREDENTIAL_PARAMETER =
  /^(x[-_]?api[-_]?key|api[-_]?key|key|token|access[-_]?token|secret|client[-_]?secret|password|passwd|auth|authorization|signature|sig)$/i;

/** The URL with the values of credential-like query parameters replaced, for logs. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const pairs = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape is logged as sent; it is compared undecoded
      }
      return CREDENTIAL_PARAMETER.test(decoded.trim()) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, query)}?${pairs.join('&')}`;
}
