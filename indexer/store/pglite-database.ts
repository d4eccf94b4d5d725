/**
 * The embedded engine: PGlite (PostgreSQL compiled to WebAssembly) in a data folder, so the indexer runs with no
 * server to install.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
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

/** What creating a PGlite data folder took: it happens once, in a child process. */
export interface PgliteCreation {
  durationMs: number;
  /** The peak resident memory of the child process that ran initdb. */
  peakRssMb: number;
}

export interface PgliteOptions {
  /** Told when the folder held no database and one was created. */
  onCreated?(creation: PgliteCreation): void;
}

/**
 * PGlite's buffer pool. WebAssembly memory is touched up front and never given back, so PostgreSQL's default of
 * 128MB would be resident for good (an idle PGlite takes ~290 MB with it, ~165 MB with this); pages beyond it
 * come from the data folder through the operating system's file cache.
 */
const PGLITE_SHARED_BUFFERS = "16MB";

/**
 * Opens (creating if needed) the PGlite database in `dataDir`. PGlite is single-connection but queues callers
 * itself: a statement issued while a transaction runs waits for the transaction to end.
 */
export async function openPgliteDatabase(dataDir: string, options: PgliteOptions = {}): Promise<Database> {
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    const creation = await createDataFolder(dataDir);
    options.onCreated?.(creation);
  }
  const pglite = await PGlite.create(dataDir, {
    parsers: PG_COMPATIBLE_PARSERS,
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  return guardAgainstUseInsideTransaction({
    engine: "pglite",
    ...pgliteExecutor(pglite),
    transaction: (work) => runTransaction(pglite, work),
    close: () => pglite.close(),
  });
}

/** Runs in the child: creates the database in the folder named by its argument, then reports its peak memory. */
const CREATE_IN_CHILD = `
const { PGlite } = require(process.env.DXL_PGLITE_MODULE);
PGlite.create(process.argv[1])
  .then((db) => db.close())
  .then(() => process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })));
`;

/**
 * Creates the database of `dataDir` (missing or empty) in a child process. PGlite's initdb peaks near 800 MB
 * of WebAssembly memory that the process would keep for good; opening an existing folder takes about 165 MB.
 * The child works in a sibling folder that is renamed into place, so a crash never leaves half a database.
 */
async function createDataFolder(dataDir: string): Promise<PgliteCreation> {
  const existing = await readdir(dataDir).catch(() => null);
  if (existing && existing.length > 0)
    throw new Error(`the data folder ${dataDir} holds files but no PGlite database (no PG_VERSION)`);
  await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  const building = `${path.resolve(dataDir)}.creating-${process.pid}-${Date.now()}`;
  const started = Date.now();
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", CREATE_IN_CHILD, building], {
      env: { ...process.env, DXL_PGLITE_MODULE: require.resolve("@electric-sql/pglite") },
    });
    if (existing) await rmdir(dataDir);
    await rename(building, dataDir);
    const { maxRssKb } = JSON.parse(stdout) as { maxRssKb: number };
    return { durationMs: Date.now() - started, peakRssMb: maxRssKb / 1024 };
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    const { stderr, message } = error as { stderr?: string; message: string };
    const reason = stderr?.trim().split("\n").pop() || message;
    throw new Error(`could not create the PGlite database in ${dataDir}: ${reason}`);
  }
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
