import { isUUID } from 'class-validator';
import { ProblemException } from './problem.exception';

const CURSOR_PREFIX = 'c1:';

/** Opaque to clients: the last item's id, base64url-encoded, so the form may change later. */
export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');
}

/** The id in a cursor from `encodeCursor`; a cursor that is not one is a 400 naming `starting_after`. */
export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!isUUID(id)) throw invalidCursor();
  return id;
}

export function invalidCursor(): ProblemException {
  return ProblemException.field('starting_after', "starting_after is not a cursor of this list; pass a page's next_cursor");
}
