import type { ColumnDefinitionBuilder, CreateTableBuilder, SelectQueryBuilder } from 'kysely';

/**
 * Everything that differs between the two databases, in one place. The rest of the store is written once.
 */
export type DialectName = 'sqlite' | 'postgres';

/** An auto-numbered primary key: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's BIGSERIAL. */
export function withAutoId<T extends string>(dialect: DialectName, table: CreateTableBuilder<T, never>, column: string): CreateTableBuilder<T, never> {
  return dialect === 'sqlite'
    ? table.addColumn(column, 'integer', (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement())
    : table.addColumn(column, 'bigserial', (col: ColumnDefinitionBuilder) => col.primaryKey());
}

/**
 * Rows a claim is about to take: PostgreSQL locks them and skips rows another instance is claiming at the same
 * moment (so instances polling together take different jobs instead of queueing); SQLite has one writer at a time.
 */
export function lockForClaim<DB, TB extends keyof DB, O>(dialect: DialectName, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}
