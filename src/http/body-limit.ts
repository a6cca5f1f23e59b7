/** The largest request body accepted, after any Content-Encoding is decoded. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function bodyTooLargeDetail(): string {
  return `The request body is larger than the ${BODY_LIMIT_BYTES / 1024} KB limit.`;
}
