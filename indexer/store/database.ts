/**
 * The storage layer's connection: one interface over embedded PGlite and a PostgreSQL server, so the same SQL
 * and migrations serve both.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { DatabaseCalledInsideTransactionError } from "./errors";

/** Runs SQL. Rows come back as plain objects keyed by column name. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Bulk-loads rows into a table: COPY on both engines. Values are text (or null); order follows `columns`. */
  copyRows(table: string, columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<void>;
}

/** A database: PGlite in a data folder, or PostgreSQL reached through `pg`. */
export interface Database extends SqlExecutor {
  readonly engine: "pglite" | "postgres";
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The COPY statement both engines run: CSV, so NULL is an unquoted empty field and text is always quoted. */
export function copyStatement(table: string, columns: readonly string[], source: "STDIN" | "'/dev/blob'"): string {
  const columnList = columns.map(quoteIdentifier).join(", ");
  return `COPY ${quoteIdentifier(table)} (${columnList}) FROM ${source} WITH (FORMAT csv)`;
}

/** Rows per CSV chunk: large enough to amortize per-chunk costs, small enough that no giant string is built. */
const ROWS_PER_CSV_CHUNK = 1000;

/** The rows as CSV text, a chunk of lines at a time, so huge loads stream instead of sitting in one string. */
export function* csvChunks(rows: readonly (readonly (string | null)[])[]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CSV_CHUNK) {
    const lines = rows.slice(start, start + ROWS_PER_CSV_CHUNK).map((row) => row.map(csvField).join(",") + "\n");
    yield lines.join("");
  }
}

/** Quoting every value keeps an empty string apart from NULL and makes commas, newlines and `\.` plain data. */
function csvField(value: string | null): string {
  return value === null ? "" : `"${value.replaceAll('"', '""')}"`;
}

/** Quotes each part of a possibly schema-qualified name, so any column name is safe in generated SQL. */
export function quoteIdentifier(name: string): string {
  return name
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");
}

/** The transaction the current async flow is running in, if any; `isOpen` turns false when it ends. */
const currentTransaction = new AsyncLocalStorage<{ isOpen: boolean }>();

/**
 * The database with a guard: inside `transaction`, a statement sent to the database itself rather than to `tx`
 * fails fast. Unguarded, PGlite (one connection, queued) would deadlock, and PostgreSQL would run it outside the
 * transaction, where it may wait forever on the transaction's own locks.
 */
export function guardAgainstUseInsideTransaction(database: Database): Database {
  return {
    engine: database.engine,
    query: <Row>(sql: string, params?: unknown[]) => outsideTransaction(() => database.query<Row>(sql, params)),
    exec: (sql) => outsideTransaction(() => database.exec(sql)),
    copyRows: (table, columns, rows) => outsideTransaction(() => database.copyRows(table, columns, rows)),
    transaction: (work) =>
      outsideTransaction(async () => {
        const scope = { isOpen: true };
        try {
          return await database.transaction((tx) => currentTransaction.run(scope, () => work(tx)));
        } finally {
          scope.isOpen = false;
        }
      }),
    close: () => database.close(),
  };
}

/** Runs `action` unless the caller is inside one of this process's open transactions. */
async function outsideTransaction<T>(action: () => Promise<T>): Promise<T> {
  if (currentTransaction.getStore()?.isOpen) throw new DatabaseCalledInsideTransactionError();
  return action();
}
