import { ArgumentsHost, BadRequestException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { ProblemDetailsFilter } from './problem-details.filter';
import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ProblemException } from './problem.exception';

interface Sent {
  status?: number;
  type?: string;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

function hostFor(url = '/admin/customers/x?secret=1') {
  const sent: Sent = { headers: {} };
  const response = {
    headersSent: false,
    getHeader: (name: string) => sent.headers[name],
    set(headers: Record<string, string> | string, value?: string) {
      if (typeof headers === 'string') sent.headers[headers] = value!;
      else Object.assign(sent.headers, headers);
      return response;
    },
    status(status: number) {
      sent.status = status;
      return response;
    },
    type(type: string) {
      sent.type = type;
      return response;
    },
    send(body: string) {
      sent.body = JSON.parse(body);
      return response;
    },
  };
  const request = { method: 'PUT', path: '/admin/customers/x', url, originalUrl: url, id: 'req-1' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('ProblemDetailsFilter', () => {
  const filter = new ProblemDetailsFilter();
  beforeAll(() => Logger.overrideLogger(false));

  it('answers our problems as RFC 9457 problem+json with the field errors, request id and headers', () => {
    const { host, sent } = hostFor();
    filter.catch(
      new ProblemException(HttpStatus.UNAUTHORIZED, 'no key', [{ field: 'x-api-key', message: 'missing' }], undefined, { 'WWW-Authenticate': 'ApiKey' }),
      host,
    );
    expect(sent.status).toBe(401);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.headers['WWW-Authenticate']).toBe('ApiKey');
    expect(sent.body).toEqual({
      type: '/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: 'no key',
      instance: '/admin/customers/x',
      errors: [{ field: 'x-api-key', message: 'missing' }],
      request_id: 'req-1',
    });
  });

  it("turns Nest's own exceptions into the same shape", () => {
    const { host, sent } = hostFor();
    filter.catch(new NotFoundException('Cannot GET /nope'), host);
    expect(sent.body).toMatchObject({ status: 404, title: 'Not Found', detail: 'Cannot GET /nope', errors: [] });
    filter.catch(new BadRequestException(['a', 'b']), host);
    expect(sent.body).toMatchObject({ status: 400, detail: 'a; b' });
  });

  it('answers an unknown error as a generic 500 without internals', () => {
    const { host, sent } = hostFor();
    filter.catch(new Error('relation "secret_table" does not exist'), host);
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('secret_table');
    expect(sent.body?.detail).toMatch(/x-request-id/);
  });

  it('answers a lost database as 503 with Retry-After', () => {
    const { host, sent } = hostFor();
    filter.catch(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), host);
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('5');
  });

  it('tells a busy pool from a lost database, and a lock wait from both', () => {
    const busy = hostFor();
    filter.catch(new Error('timeout exceeded when trying to connect'), busy.host);
    expect(busy.sent.status).toBe(503);
    expect(busy.sent.body).toMatchObject({ title: 'Service busy' });
    expect(String(busy.sent.body?.detail)).not.toMatch(/unavailable/);

    const lost = hostFor();
    filter.catch(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), lost.host);
    expect(lost.sent.body).toMatchObject({ status: 503, detail: 'The database is unavailable; retry shortly.' });

    const released = hostFor();
    filter.catch(new QueryRunnerAlreadyReleasedError(), released.host);
    expect(released.sent.status).toBe(503);
    expect(released.sent.headers['Retry-After']).toBe('5');

    const locked = hostFor();
    filter.catch(Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }), locked.host);
    expect(locked.sent.status).toBe(429);
    expect(locked.sent.headers['Retry-After']).toBe('1');
  });
});
