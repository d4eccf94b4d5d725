/**
 * The embedded engine: PGlite (PostgreSQL compiled to WebAssembly) in a data folder, so the indexer runs with no
 * server to install.
 */
import { mkdir } from "node:fs/promises";
import { PGlite, TransactionAbortedError as PgliteTransactionAbortedError, types } from "@electric-sql/pglite";
import type { Transaction } from "@electric-sql/pglite";
import { copyStatement, csvChunks, guardAgainstUseInsideTransaction } from "./database";
import type { Database, SqlExecutor } from "./database";
import { TransactionAbortedError } from "./errors";

/** What a PGlite instance and one of its transactions share: enough to run queries and COPY. */
type PgliteConnection = Pick<Transaction, "query" | "exec">;

/**
 * Result parsers matching `pg`'s defaults, so rows look the same on both engines: int8 as a decimal string (PGlite
 * would give a JS bigint) and bytea as a Buffer (PGlite would give a bare Uint8Array).
 */
const PG_COMPATIBLE_PARSERS = {
  [types.INT8]: (value: string) => value,
  [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), "hex"),
};

/**
 * Opens (creating if needed) the PGlite database in `dataDir`. PGlite is single-connection but queues callers
 * itself: a statement issued while a transaction runs waits for the transaction to end.
 */
export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { parsers: PG_COMPATIBLE_PARSERS });
  return guardAgainstUseInsideTransaction({
    engine: "pglite",
    ...pgliteExecutor(pglite),
    transaction: (work) => runTransaction(pglite, work),
    close: () => pglite.close(),
  });
}

/** The SqlExecutor over the instance itself or over one of its transactions. */
function pgliteExecutor(connection: PgliteConnection): SqlExecutor {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await connection.query<Row>(sql, params)).rows,
    exec: async (sql) => void (await connection.exec(sql)),
    copyRows: async (table, columns, rows) => {
      const blob = new Blob([...csvChunks(rows)]);
      await connection.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob });
    },
  };
}

/** PGlite's transaction API commits or rolls back; its own "aborted at COMMIT" error becomes ours. */
async function runTransaction<T>(pglite: PGlite, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  try {
    return await pglite.transaction((tx) => work(pgliteExecutor(tx)));
  } catch (error) {
    throw error instanceof PgliteTransactionAbortedError ? new TransactionAbortedError(error) : error;
  }
}
