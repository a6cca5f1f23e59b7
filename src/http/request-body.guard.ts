import { isUtf8 } from 'node:buffer';
import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { json } from 'express';
import type { Request, Response } from 'express';
import { BODY_LIMIT_BYTES, bodyTooLargeDetail } from './body-limit';
import { ProblemException } from './problem.exception';

export const JSON_MEDIA_TYPE = 'application/json';
/** RFC 7396: exactly the PUT's semantics (absent keeps, null clears or removes), so PUT accepts it too. */
export const MERGE_PATCH_MEDIA_TYPE = 'application/merge-patch+json';

const ACCEPTED_MEDIA_TYPES: Record<string, string[]> = {
  POST: [JSON_MEDIA_TYPE],
  PUT: [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE],
  PATCH: [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE],
};

class InvalidUtf8Error extends Error {
  readonly status = HttpStatus.BAD_REQUEST;
  readonly type = 'entity.invalid.utf8';
}

/**
 * Reads and parses a request body, as the last global guard: after authentication and throttling,
 * so a request without a valid key is refused before its body is read or judged. Only the media
 * types the method accepts are read (415 names them); the size limit applies after any
 * Content-Encoding is decoded; bodies that are not valid UTF-8 are refused rather than repaired.
 */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  private readonly parseJson = json({
    limit: BODY_LIMIT_BYTES,
    type: [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE],
    verify: (_request, _response, buffer) => {
      if (!isUtf8(buffer)) throw new InvalidUtf8Error('The request body is not valid UTF-8.');
    },
  });

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const accepted = ACCEPTED_MEDIA_TYPES[request.method];
    if (!accepted || !hasBody(request)) return true;
    if (!request.is(accepted)) {
      const received = request.headers['content-type'] ?? 'none';
      throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `The request body must be ${accepted.join(' or ')} (Content-Type was ${received}).`, [
        { field: 'Content-Type', message: `must be ${accepted.join(' or ')}` },
      ]);
    }
    await new Promise<void>((resolve, reject) =>
      this.parseJson(request, http.getResponse<Response>(), (error?: unknown) => (error ? reject(asProblem(error)) : resolve())),
    );
    return true;
  }
}

function hasBody(request: Request): boolean {
  return Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}

/** body-parser's errors (bad JSON, too large, bad or corrupt encoding) as problems naming the body. */
function asProblem(error: unknown): Error {
  const { type, status, message } = (error ?? {}) as { type?: unknown; status?: unknown; message?: string };
  if (typeof status !== 'number' || status < 400 || status >= 500) return error instanceof Error ? error : new Error(String(error));
  const detail =
    type === 'entity.parse.failed'
      ? `The request body is not valid JSON: ${message}`
      : type === 'entity.too.large'
        ? bodyTooLargeDetail()
        : type === 'entity.invalid.utf8'
          ? 'The request body is not valid UTF-8.'
          : type === 'encoding.unsupported'
            ? 'The request body has an unsupported Content-Encoding: send it as identity, gzip, deflate or br.'
            : type === 'charset.unsupported'
              ? `The request body has an unsupported charset: ${message}. Send UTF-8.`
              : 'The request body could not be read: its Content-Encoding does not match its bytes, or it ended early.';
  return new ProblemException(status, detail, [{ field: 'body', message: detail }]);
}
