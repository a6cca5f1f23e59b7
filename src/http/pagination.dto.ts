import type { Type as ClassType } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { KeysetRows } from '../database/keyset-pages';
import { decodeCursor, encodeCursor, invalidCursor } from './cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Cursor pagination, newest first: pass a page's `next_cursor` as `starting_after` to get the next page. */
export class PageQueryDto {
  @ApiProperty({ required: false, minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiProperty({ required: false, description: "An opaque cursor: the previous page's `next_cursor`" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  starting_after?: string;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** The OpenAPI schema of a page of `item`s, one shape for every list (name the subclass with @ApiSchema: it is not inherited). */
export function PageDtoOf<T>(item: ClassType<T>, plural: string): ClassType<Page<T>> {
  class PageDto implements Page<T> {
    @ApiProperty({ type: [item] })
    data: T[];

    @ApiProperty({ description: `Whether older ${plural} follow` })
    has_more: boolean;

    @ApiProperty({ type: String, nullable: true, description: 'Pass as `starting_after` for the next page; null on the last page' })
    next_cursor: string | null;
  }
  return PageDto;
}

/** Builds a page from `limit + 1` rows: the extra row only tells whether there is more. */
export function toPage<Row, Item>(rows: Row[], limit: number, cursorOf: (row: Row) => string, map: (row: Row) => Item): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(map),
    has_more: hasMore,
    next_cursor: hasMore ? cursorOf(pageRows[pageRows.length - 1]) : null,
  };
}

export interface KeysetPageOptions<Row, Item> {
  /** The id a cursor carries: the row's `KeysetOrder.id`. */
  idOf: (row: Row) => string;
  map: (row: Row) => Item;
  /** Asked only for an empty page, before the cursor: throws when the list's parent does not exist (a 404 beats a 400). */
  whenEmpty?: () => Promise<void>;
}

/**
 * A list's page from its `starting_after` and `limit`: decodes the cursor, reads `limit + 1` rows
 * after it, tells an unknown cursor (400 naming `starting_after`) from an empty list, and builds the page.
 */
export async function keysetPage<Row, Item>(
  { limit, starting_after }: PageQueryDto,
  read: (afterId: string | undefined) => Promise<KeysetRows<Row>>,
  { idOf, map, whenEmpty }: KeysetPageOptions<Row, Item>,
): Promise<Page<Item>> {
  const afterId = starting_after === undefined ? undefined : decodeCursor(starting_after);
  const { rows, cursorFound } = await read(afterId);
  if (rows.length === 0) {
    await whenEmpty?.();
    if (!cursorFound) throw invalidCursor();
  }
  return toPage(rows, limit, (row) => encodeCursor(idOf(row)), map);
}
