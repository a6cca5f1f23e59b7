import { execFile } from 'node:child_process';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppProcess, startAppProcess, stopAppProcess, waitForReady } from './support/app-process';
import { waitFor } from './support/wait-for';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const WRITE_SECRET = 'tracing-write-key-0123456789';

type OtlpValue = { stringValue?: string; intValue?: string | number };
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
}

/** An in-process OTLP/HTTP receiver: the spans the service exports (JSON encoding), as they arrive. */
class OtlpReceiver {
  readonly spans: Span[] = [];
  readonly resources: Record<string, string>[] = [];
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            resourceSpans: { resource: { attributes: Span['attributes'] }; scopeSpans: { spans: Span[] }[] }[];
          };
          for (const { resource, scopeSpans } of body.resourceSpans) {
            this.resources.push(Object.fromEntries(resource.attributes.map(({ key, value }) => [key, String(value.stringValue ?? value.intValue)])));
            for (const { spans } of scopeSpans) this.spans.push(...spans);
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const attribute = (span: Span, ...keys: string[]) => {
  for (const key of keys) {
    const found = span.attributes.find((a) => a.key === key);
    if (found) return String(found.value.stringValue ?? found.value.intValue);
  }
  return undefined;
};

/** OpenTelemetry: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; on, a PUT is one trace with its SQL, and its log line names the trace. */
describe('Tracing (e2e)', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: no OpenTelemetry module is even loaded', async () => {
    const probe = `require('./dist/tracing/tracing').startTracingIfConfigured();
      console.log(Object.keys(require.cache).filter((path) => path.includes('@opentelemetry')).length)`;
    const off = await run(process.execPath, ['-e', probe], { cwd: ROOT, env: { PATH: process.env.PATH, ENV_FILE: 'none' } });
    expect(off.stdout.trim()).toBe('0');
    const on = await run(process.execPath, ['-e', `${probe}; process.exit(0)`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ENV_FILE: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    });
    expect(Number(on.stdout.trim())).toBeGreaterThan(0);
  });

  describe('on', () => {
    let receiver: OtlpReceiver;
    let app: AppProcess;
    beforeAll(async () => {
      receiver = await new OtlpReceiver().start();
      app = startAppProcess({
        DATABASE_URL: process.env.DATABASE_URL!,
        ADMIN_API_KEYS: `tracer:write:${WRITE_SECRET}`,
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'customer-admin-api-e2e',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
      await waitForReady(app);
    }, 30_000);
    afterAll(async () => {
      await stopAppProcess(app);
      await receiver.stop();
    });

    it('a PUT is one trace: the HTTP server span with the transaction’s SQL statements under it; its log line carries the trace id', async () => {
      const headers = { 'x-api-key': WRITE_SECRET, 'content-type': 'application/json' };
      const created = await fetch(`${app.baseUrl}/admin/customers`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ company_name: 'Traced Ltd', contact_email: 'ops@traced.example' }),
      });
      expect(created.status).toBe(201);
      const { customer_id: id } = (await created.json()) as { customer_id: string };
      const requestId = `trace-${Date.now()}`;
      const put = await fetch(`${app.baseUrl}/admin/customers/${id}`, {
        method: 'PUT',
        headers: { ...headers, 'x-request-id': requestId },
        body: JSON.stringify({ tier: 'scale' }),
      });
      expect(put.status).toBe(200);

      const isPutServerSpan = (span: Span) => span.kind === 2 && attribute(span, 'http.request.method', 'http.method') === 'PUT';
      await waitFor(() => receiver.spans.some(isPutServerSpan), 'the PUT’s server span', 10_000);
      const server = receiver.spans.find(isPutServerSpan)!;
      expect(server.parentSpanId ?? '').toBe('');
      await waitFor(
        () => receiver.spans.some((span) => span.traceId === server.traceId && /COMMIT/.test(attribute(span, 'db.query.text', 'db.statement') ?? '')),
        'the PUT’s COMMIT',
        10_000,
      );
      const statements = receiver.spans
        .filter((span) => span.traceId === server.traceId)
        .map((span) => attribute(span, 'db.query.text', 'db.statement'))
        .filter((text): text is string => text !== undefined);
      expect(statements).toEqual(
        expect.arrayContaining([
          'BEGIN',
          expect.stringMatching(/FROM customers WHERE customer_id = \$1 FOR UPDATE/),
          expect.stringMatching(/^UPDATE customers SET/),
          expect.stringMatching(/^INSERT INTO customer_events/),
          'COMMIT',
        ]),
      );
      expect(receiver.resources.some((resource) => resource['service.name'] === 'customer-admin-api-e2e')).toBe(true);

      await waitFor(() => app.output().includes(requestId), 'the request’s log line');
      const line = app
        .output()
        .split('\n')
        .find((candidate) => candidate.includes(requestId) && candidate.includes('"PUT'));
      expect(line).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ trace_id: server.traceId });
    }, 30_000);
  });
});
