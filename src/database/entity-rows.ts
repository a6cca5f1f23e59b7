import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';

export type Row = Record<string, unknown>;
type ColumnMetadata = EntityMetadata['columns'][number];

/** Column types whose pg value is already the entity's value (bigint and date by the parsers in pg-types.ts). */
const PARSED_BY_PG = new Set(['uuid', 'varchar', 'character varying', 'integer', 'int', 'bigint', 'date', 'jsonb', 'timestamptz', 'timestamp with time zone']);

/**
 * An entity's rows, read and written without TypeORM's per-call query building and result
 * transformation (which cost more than the statements themselves on the hot paths, BENCHMARKS.md),
 * derived once from the entity's TypeORM metadata so a new column needs no change in a repository.
 *
 * What it reads of TypeORM is pinned by test/dependency-internals.e2e-spec.ts (README, "Dependency
 * internals"): `getMetadata(entity).columns` with `databaseName`, `propertyName`, `type`,
 * `embeddedMetadata.parentPropertyNames`/`create()`, the column flags, `getEntityValue`/
 * `setEntityValue`, and the driver's `preparePersistentValue`/`prepareHydratedValue`.
 */
export class EntityRows<T extends ObjectLiteral> {
  /** Every column, quoted, in metadata order: a SELECT list. */
  readonly selectList: string;
  /** The columns a write may set: not the primary key, version, create/update dates or generated ones. */
  readonly editableColumns: readonly string[];
  private readonly assigners: ((entity: T, row: Row) => void)[];
  private readonly editable: ColumnMetadata[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: new () => T,
  ) {
    const { columns } = dataSource.getMetadata(target);
    this.selectList = columns.map((column) => `"${column.databaseName}"`).join(', ');
    this.editable = columns.filter((column) => !column.isPrimary && !column.isVersion && !column.isCreateDate && !column.isUpdateDate && !column.isGenerated);
    this.editableColumns = this.editable.map((column) => column.databaseName);
    this.assigners = columns.map((column) => this.assignerFor(column));
  }

  hydrate(row: Row): T {
    const entity = new this.target();
    for (const assign of this.assigners) assign(entity, row);
    return entity;
  }

  /** The editable columns' values of `entity`, in `editableColumns` order, as the driver writes them. */
  editableValues(entity: T): unknown[] {
    const { driver } = this.dataSource;
    return this.editable.map((column) => driver.preparePersistentValue(column.getEntityValue(entity), column) as unknown);
  }

  /**
   * Sets one column's value on an entity from a row: directly when pg already parses the column
   * into the entity's type, through TypeORM's own hydration otherwise.
   */
  private assignerFor(column: ColumnMetadata): (entity: T, row: Row) => void {
    const name = column.databaseName;
    const parsedByPg = PARSED_BY_PG.has(String(column.type));
    const path = [...(column.embeddedMetadata?.parentPropertyNames ?? []), column.propertyName];
    if (parsedByPg && path.length === 1) return (entity, row) => void ((entity as Row)[path[0]] = row[name]);
    if (parsedByPg && path.length === 2) {
      const [parent, property] = path;
      const embedded = column.embeddedMetadata!;
      return (entity, row) => {
        const target = ((entity as Record<string, Row>)[parent] ??= embedded.create() as Row);
        target[property] = row[name];
      };
    }
    return (entity, row) => column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[name], column));
  }
}
