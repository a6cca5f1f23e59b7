import * as http from 'node:http';
import * as https from 'node:https';
import { guardedLookup, isPublicAddress, literalAddress, RefusedAddressError } from './webhook-address-policy';

/** How much of a receiver's response body is read and kept: enough for an error message. */
export const WEBHOOK_RESPONSE_BODY_LIMIT = 2048;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookSendOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  signal?: AbortSignal;
}

/** What one attempt did: an HTTP status (any, redirects included) or an error that prevented one. */
export interface WebhookAttemptResult {
  status: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

const USER_AGENT = 'customer-admin-api-webhooks/1';
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/**
 * POSTs one signed event. Redirects are not followed (a 3xx is a failed attempt); at most
 * WEBHOOK_RESPONSE_BODY_LIMIT bytes of the response are read; the whole attempt is bounded by
 * `timeoutMs`. Unless private networks are allowed, the address connected to must be public,
 * checked on the connection's own DNS answer.
 */
export function sendWebhook(request: WebhookRequest, options: WebhookSendOptions): Promise<WebhookAttemptResult> {
  const started = performance.now();
  const finish = (status: number | null, responseBody: string | null, error: string | null): WebhookAttemptResult => ({
    status,
    responseBody,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  const url = new URL(request.url);
  const literal = literalAddress(url.hostname);
  if (!options.allowPrivateNetworks && literal !== undefined && !isPublicAddress(literal)) {
    return Promise.resolve(finish(null, null, new RefusedAddressError(url.hostname, literal).message));
  }
  const secure = url.protocol === 'https:';
  const transport = secure ? https : http;
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];

  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: WebhookAttemptResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const post = (mayRetryStaleSocket: boolean) => {
      const outgoing = transport.request(
        url,
        {
          method: 'POST',
          agent: secure ? agents.https : agents.http,
          lookup: options.allowPrivateNetworks ? undefined : guardedLookup,
          signal: AbortSignal.any(signals),
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(request.body),
            'user-agent': USER_AGENT,
          },
        },
        (response) => readResponse(response, (status, body, error) => settle(finish(status, body, error))),
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the receiver closed while idle fails as soon as it is reused:
        // that is not the receiver refusing the delivery, so send once more on a new connection.
        if (mayRetryStaleSocket && outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return post(false);
        settle(finish(null, null, describeError(error, options.timeoutMs)));
      });
      outgoing.end(request.body);
    };
    post(true);
  });
}

/** Reads at most WEBHOOK_RESPONSE_BODY_LIMIT bytes of the body, then stops (the socket is not reused). */
function readResponse(response: http.IncomingMessage, done: (status: number | null, body: string, error: string | null) => void): void {
  const status = response.statusCode ?? null;
  const chunks: Buffer[] = [];
  let kept = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    const location = response.headers.location;
    const error =
      status !== null && status >= 300 && status < 400 ? `Redirect to ${location ?? '(no Location)'} not followed: point the endpoint at the final URL` : null;
    done(status, Buffer.concat(chunks).toString('utf8'), error);
  };
  response.on('data', (chunk: Buffer) => {
    if (kept >= WEBHOOK_RESPONSE_BODY_LIMIT) return;
    const part = chunk.subarray(0, WEBHOOK_RESPONSE_BODY_LIMIT - kept);
    chunks.push(part);
    kept += part.length;
    if (kept >= WEBHOOK_RESPONSE_BODY_LIMIT) {
      finish();
      response.destroy();
    }
  });
  response.on('end', finish);
  response.on('error', finish);
}

function describeError(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error instanceof RefusedAddressError) return error.message;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    const reason = (error.cause as Error | undefined)?.name;
    return reason === 'TimeoutError' || error.name === 'TimeoutError' ? `No response within ${timeoutMs} ms` : 'Interrupted: the service is shutting down';
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host does not resolve (${error.code})`;
    case 'ECONNRESET':
      return 'The connection was reset before a response';
    default:
      return (error.code ? `${error.code}: ` : '') + error.message.slice(0, 300);
  }
}
