import type { DataSource, ObjectLiteral } from 'typeorm';
import { readWithOneRetry } from './database-errors';
import { EntityRows, Row } from './entity-rows';
import { typeormPool } from './typeorm-pool';

export interface KeysetOrder {
  /** The table the list reads. */
  table: string;
  /** Sort columns, all descending; together unique (the last is usually the id). */
  order: readonly string[];
  /** The column a cursor names (the id of the previous page's last row). */
  id: string;
  /** Equality filters the cursor's row must also match: a cursor from another parent's list is not a cursor of this one. */
  scope?: readonly string[];
}

/** One condition of a list: SQL with `$` for its parameter, and the value (undefined: not applied). */
export type ListCondition = readonly [sql: (parameter: string) => string, value: unknown];

/**
 * A narrower table whose index yields the list's rows in their order, walked instead of the list's
 * own indexes: it has the list's `order` columns too, and is joined on all of them (`USING`), so
 * PostgreSQL takes the order from its index and fetches only the rows of the page.
 */
export interface KeysetDriver {
  /** Names the statement shape (one prepared statement per combination of drivers and filters). */
  name: string;
  /** `JOIN driving_table alias USING (<the order columns>)`. */
  join: string;
  /** Conditions on the driving table, applied first (they select its index range). */
  where: readonly ListCondition[];
}

export interface KeysetRequest {
  /** Equality on the `scope` columns (all required). */
  scope?: Record<string, unknown>;
  /** Walk these tables' indexes for the order (see KeysetDriver); with several, PostgreSQL chooses which leads. */
  drivers?: readonly KeysetDriver[];
  /** Further filters by name; a filter whose value is undefined is left out. */
  where?: Record<string, ListCondition>;
  /** The id of the row the page starts after. */
  afterId?: string;
  limit: number;
  /**
   * Plan this page with its values (an unnamed statement) instead of reusing a prepared statement's
   * generic plan: where the best plan depends on the values (which of several drivers is selective).
   */
  planWithValues?: boolean;
}

export interface KeysetRows<T> {
  /** Up to `limit + 1` rows: the extra one only tells that more follow. */
  rows: T[];
  /** False only when the page is empty because `afterId` names no row of this list (checked only then). */
  cursorFound: boolean;
}

/** A statement; without a name it is planned with its values each time (pg's unnamed statement). */
interface Statement {
  name?: string;
  text: string;
}

/**
 * Keyset pagination for every list: newest first on `order`, "rows after the cursor's row" as a
 * row comparison with the cursor's own sort key (so deep pages cost what the first does), served
 * by an index in that order. One named prepared statement per combination of present filters, rows
 * hydrated by EntityRows. Whether an unknown cursor or an empty list is meant is asked only when a
 * page comes back empty, so a page is one query.
 */
export class KeysetPages<T extends ObjectLiteral> {
  private readonly rows: EntityRows<T>;
  private readonly statements = new Map<string, Statement>();
  private readonly scope: readonly string[];

  constructor(
    private readonly dataSource: DataSource,
    entity: new () => T,
    private readonly list: KeysetOrder,
  ) {
    this.rows = new EntityRows(dataSource, entity);
    this.scope = list.scope ?? [];
  }

  async read(request: KeysetRequest): Promise<KeysetRows<T>> {
    const scopeValues = this.scope.map((column) => request.scope?.[column]);
    const filters = Object.entries(request.where ?? {}).filter(([, [, value]]) => value !== undefined);
    const statement = this.statementFor(
      filters.map(([name, [sql]]) => [name, sql] as const),
      request.afterId !== undefined,
      request.drivers ?? [],
    );
    const values = [
      ...scopeValues,
      ...(request.drivers ?? []).flatMap((driver) => driver.where.map(([, value]) => value)),
      ...filters.map(([, [, value]]) => value),
      ...(request.afterId === undefined ? [] : [request.afterId]),
      request.limit + 1,
    ];
    const rows = await this.query(request.planWithValues ? { text: statement.text } : statement, values);
    const cursorFound = rows.length > 0 || request.afterId === undefined || (await this.cursorExists(request.afterId, scopeValues));
    return { rows: rows.map((row) => this.rows.hydrate(row)), cursorFound };
  }

  private statementFor(
    filters: readonly (readonly [string, (parameter: string) => string])[],
    afterCursor: boolean,
    drivers: readonly KeysetDriver[],
  ): Statement {
    const key = [...drivers.map((driver) => driver.name), '|', ...filters.map(([name]) => name), afterCursor ? 'after' : ''].join(',');
    let statement = this.statements.get(key);
    if (!statement) {
      const { table, order } = this.list;
      const conditions = this.scope.map((column, index) => `"${column}" = $${index + 1}`);
      for (const [sql] of drivers.flatMap((driver) => driver.where)) conditions.push(sql(`$${conditions.length + 1}`));
      for (const [, sql] of filters) conditions.push(sql(`$${conditions.length + 1}`));
      if (afterCursor) {
        const cursorScope = this.scope.map((column, index) => ` AND cursor."${column}" = $${index + 1}`).join('');
        const parameter = `$${conditions.length + 1}`;
        conditions.push(
          `(${columns(order)}) < (SELECT ${columns(order, 'cursor.')} FROM ${table} cursor WHERE cursor."${this.list.id}" = ${parameter}${cursorScope})`,
        );
      }
      statement = {
        name: `${table}_page_${this.statements.size}`,
        text: `SELECT ${this.rows.selectList} FROM ${table}${drivers.map((driver) => ` ${driver.join}`).join('')}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}
               ORDER BY ${order.map((column) => `"${column}" DESC`).join(', ')} LIMIT $${conditions.length + 1}`,
      };
      this.statements.set(key, statement);
    }
    return statement;
  }

  private async cursorExists(afterId: string, scopeValues: unknown[]): Promise<boolean> {
    const scope = this.scope.map((column, index) => ` AND "${column}" = $${index + 2}`).join('');
    const rows = await this.query({ name: `${this.list.table}_cursor`, text: `SELECT 1 FROM ${this.list.table} WHERE "${this.list.id}" = $1${scope}` }, [
      afterId,
      ...scopeValues,
    ]);
    return rows.length > 0;
  }

  private async query(statement: Statement, values: unknown[]): Promise<Row[]> {
    const { rows } = await readWithOneRetry(() => typeormPool(this.dataSource).query<Row>({ ...statement, values }));
    return rows;
  }
}

function columns(names: readonly string[], prefix = ''): string {
  return names.map((name) => `${prefix}"${name}"`).join(', ');
}
