import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE } from './problem-details.filter';
import { problemTypeUri } from './problem-types';
import { titleForStatus } from './problem.exception';

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are larger than this server accepts (16 KB in all).' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time.' },
  HPE_UNEXPECTED_CONTENT_LENGTH: {
    status: 400,
    detail: 'The request has both Content-Length and Transfer-Encoding, or a Content-Length that does not fit its body.',
  },
};

/**
 * Requests Node's HTTP parser refuses (oversized headers, malformed request lines, conflicting
 * framing) never reach Nest; by default Node answers them with a bare status line. This answers
 * them as problem details too, while the socket can still be written, and closes the connection.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, detail } = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, detail: 'The request is not well-formed HTTP/1.1.' };
    const title = titleForStatus(status);
    const body = JSON.stringify({ type: problemTypeUri(title), title, status, detail, instance: '/', errors: [], request_id: null });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
