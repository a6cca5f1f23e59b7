import { ProblemException } from './problem.exception';
import { encodeCursor } from './cursor';
import { keysetPage } from './pagination.dto';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: ID(index + 1) }));
const options = { idOf: (row: { id: string }) => row.id, map: (row: { id: string }) => row.id };

describe('keysetPage', () => {
  it('reads limit + 1 rows and tells from the extra one that more follow', async () => {
    const read = jest.fn().mockResolvedValue({ rows: rows(3), cursorFound: true });
    const page = await keysetPage({ limit: 2 }, read, options);
    expect(read).toHaveBeenCalledWith(undefined);
    expect(page).toEqual({ data: [ID(1), ID(2)], has_more: true, next_cursor: encodeCursor(ID(2)) });
  });

  it('passes the decoded cursor and ends the list without a next cursor', async () => {
    const read = jest.fn().mockResolvedValue({ rows: rows(1), cursorFound: true });
    const page = await keysetPage({ limit: 2, starting_after: encodeCursor(ID(9)) }, read, options);
    expect(read).toHaveBeenCalledWith(ID(9));
    expect(page).toEqual({ data: [ID(1)], has_more: false, next_cursor: null });
  });

  it('answers an empty page of an unknown cursor with a 400 naming starting_after', async () => {
    const read = jest.fn().mockResolvedValue({ rows: [], cursorFound: false });
    const error = await keysetPage({ limit: 2, starting_after: encodeCursor(ID(9)) }, read, options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProblemException);
    expect(JSON.stringify((error as ProblemException).getResponse())).toContain('starting_after');
  });

  it('asks whenEmpty first, so a missing parent is reported before a cursor', async () => {
    const read = jest.fn().mockResolvedValue({ rows: [], cursorFound: false });
    const missingParent = new Error('no such parent');
    await expect(keysetPage({ limit: 2 }, read, { ...options, whenEmpty: () => Promise.reject(missingParent) })).rejects.toBe(missingParent);
  });

  it('answers an empty list as an empty page, not an error', async () => {
    const whenEmpty = jest.fn().mockResolvedValue(undefined);
    const page = await keysetPage({ limit: 2 }, jest.fn().mockResolvedValue({ rows: [], cursorFound: true }), { ...options, whenEmpty });
    expect(whenEmpty).toHaveBeenCalled();
    expect(page).toEqual({ data: [], has_more: false, next_cursor: null });
  });

  it('refuses a malformed cursor before reading', async () => {
    const read = jest.fn();
    await expect(keysetPage({ limit: 2, starting_after: 'not-a-cursor' }, read, options)).rejects.toBeInstanceOf(ProblemException);
    expect(read).not.toHaveBeenCalled();
  });
});
