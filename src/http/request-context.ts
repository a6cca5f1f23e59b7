import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/** Who made a change and in which request: recorded on every customer event. */
export interface WriteContext {
  /** The admin key's name, never its secret. */
  actor: string;
  requestId: string | null;
}

/** The request id, set by assignRequestId and logged with every line about the request. */
export type IdentifiedRequest = Request & { id?: string };

/** Accepts a well-formed x-request-id or generates one, and returns it on every response (called by the request log middleware). */
export function assignRequestId(request: IdentifiedRequest, response: Response): void {
  const incoming = request.headers[REQUEST_ID_HEADER];
  request.id = typeof incoming === 'string' && ACCEPTED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, request.id);
}
