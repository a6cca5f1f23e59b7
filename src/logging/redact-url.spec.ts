import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/admin/customers?x-api-key=cak_secret', '/admin/customers?x-api-key=[redacted]'],
    ['/a?limit=5&api_key=s3&tier=scale', '/a?limit=5&api_key=[redacted]&tier=scale'],
    ['/a?X-API-KEY=s&Token=t&secret=u&key=v&password=w', '/a?X-API-KEY=[redacted]&Token=[redacted]&secret=[redacted]&key=[redacted]&password=[redacted]'],
    ['/a?x%2Dapi%2Dkey=s', '/a?x%2Dapi%2Dkey=[redacted]'],
    ['/a?token', '/a?token=[redacted]'],
    ['/a?q=acme&limit=2', '/a?q=acme&limit=2'],
    ['/a', '/a'],
    ['/a?%E0%A4%A=1', '/a?%E0%A4%A=1'],
  ])('%s', (url, logged) => expect(redactUrl(url)).toBe(logged));
});
