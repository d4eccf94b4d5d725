/**
 * The server engine: PostgreSQL through a small `pg` pool, with COPY streamed by `pg-copy-streams`. A dropped
 * connection surfaces as a retryable `DatabaseUnavailableError`; SQL errors pass through untouched.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyStatement, csvChunks, guardAgainstUseInsideTransaction } from "./database";
import type { Database, SqlExecutor } from "./database";
import {
  DatabaseConnectionRejectedError,
  DatabaseUnavailableError,
  TransactionAbortedError,
  isRetryableDatabaseError,
} from "./errors";

export interface PostgresDatabaseOptions {
  /** Pool size: the indexer has one writer and a few API readers. Defaults to 4. */
  maxConnections?: number;
  /** How long to wait for a connection before calling the server unavailable. Defaults to 10 s. */
  connectionTimeoutMs?: number;
  /** Told when an idle pooled connection dies (e.g. the server restarted); the pool replaces it on next use. */
  onIdleConnectionError?: (error: DatabaseUnavailableError) => void;
}

/** Opens a pool on `url` and checks the server answers, failing with one line that names host:port/database. */
export async function openPostgresDatabase(url: string, options: PostgresDatabaseOptions = {}): Promise<Database> {
  const target = describePostgresTarget(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    // PGlite runs in UTC: the same session time zone makes timestamps print alike on both engines.
    options: "-c TimeZone=UTC",
  });
  // Without a listener, an idle client killed by a server restart would crash the process.
  pool.on("error", (error) => options.onIdleConnectionError?.(new DatabaseUnavailableError(target, error)));
  await verifyReachable(pool, target);
  return guardAgainstUseInsideTransaction({
    engine: "postgres",
    ...translatingErrors(poolExecutor(pool), target),
    transaction: (work) => translateErrors(runTransaction(pool, target, work), target),
    close: () => pool.end(),
  });
}

/** `host:port/database` from a connection URL: enough to find the server, and never the password. */
export function describePostgresTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError("the PostgreSQL URL is not a valid URL (expected postgres://user:password@host:port/database)");
  }
  const database = decodeURIComponent(parsed.pathname.slice(1) || parsed.username) || "postgres";
  return `${parsed.hostname}:${parsed.port || "5432"}/${database}`;
}

/** `SELECT 1` at open, so a wrong URL fails at start-up rather than at the first write. */
async function verifyReachable(pool: pg.Pool, target: string): Promise<void> {
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    if (isRetryableDatabaseError(error)) throw new DatabaseUnavailableError(target, error);
    throw new DatabaseConnectionRejectedError(target, error);
  }
}

/** Distinct statement texts prepared by name at most; later ones run unnamed (parsed and planned each time). */
const MAX_PREPARED_STATEMENTS = 500;

/**
 * Names for parameterized statements, so each connection parses a text once and the server can reuse its plan:
 * the API sends the same few texts thousands of times, and planning them cost as much as running them. Texts
 * come from the code (values are always parameters), so they are few; a cap bounds them all the same.
 */
function statementNames(): (sql: string, params: unknown[] | undefined) => pg.QueryConfig | string {
  const names = new Map<string, string>();
  return (sql, params) => {
    if (params === undefined || params.length === 0) return sql;
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED_STATEMENTS) {
      name = `dxl_${names.size}`;
      names.set(sql, name);
    }
    return { name, text: sql, values: params };
  };
}

/** Statements outside a transaction: each on whichever pooled connection is free. */
function poolExecutor(pool: pg.Pool): SqlExecutor {
  const statementOf = statementNames();
  return {
    query: async <Row>(sql: string, params?: unknown[]) => {
      const statement = statementOf(sql, params);
      const result = typeof statement === "string" ? await pool.query(sql) : await pool.query(statement);
      return result.rows as Row[];
    },
    exec: async (sql) => void (await pool.query(sql)),
    copyRows: (table, columns, rows) => withClient(pool, (client) => copyInto(client, table, columns, rows)),
  };
}

/** Statements on one checked-out connection, inside its transaction. */
function clientExecutor(client: pg.PoolClient): SqlExecutor {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    exec: async (sql) => void (await client.query(sql)),
    copyRows: (table, columns, rows) => copyInto(client, table, columns, rows),
  };
}

/** Streams the rows as CSV chunks into COPY FROM STDIN, so memory stays flat however many rows there are. */
async function copyInto(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): Promise<void> {
  const copy = client.query(copyFrom(copyStatement(table, columns, "STDIN")));
  await pipeline(Readable.from(csvChunks(rows)), copy);
}

/** BEGIN, `work`, COMMIT on one connection; ROLLBACK and rethrow the original error if anything fails. */
async function runTransaction<T>(pool: pg.Pool, target: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return withClient(pool, async (client, discard) => {
    await client.query("BEGIN");
    try {
      const result = await work(translatingErrors(clientExecutor(client), target));
      await commit(client);
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(discard);
      throw error;
    }
  });
}

/** PostgreSQL answers COMMIT of a failed transaction with ROLLBACK, not an error: make it one. */
async function commit(client: pg.PoolClient): Promise<void> {
  const { command } = await client.query("COMMIT");
  if (command === "ROLLBACK") throw new TransactionAbortedError();
}

/**
 * Lends a pooled connection to `use`, which may `discard` it; a connection that broke is destroyed rather than
 * returned. While checked out the pool does not listen to it, and an unheard 'error' would crash the process.
 */
async function withClient<T>(
  pool: pg.Pool,
  use: (client: pg.PoolClient, discard: (error: Error) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let brokenBy: Error | undefined;
  const discard = (error: Error) => void (brokenBy ??= error);
  client.on("error", discard);
  try {
    return await use(client, discard);
  } finally {
    client.removeListener("error", discard);
    client.release(brokenBy);
  }
}

/** The executor with connection failures turned into `DatabaseUnavailableError`. */
function translatingErrors(executor: SqlExecutor, target: string): SqlExecutor {
  return {
    query: (sql, params) => translateErrors(executor.query(sql, params), target),
    exec: (sql) => translateErrors(executor.exec(sql), target),
    copyRows: (table, columns, rows) => translateErrors(executor.copyRows(table, columns, rows), target),
  };
}

/** Connection failures become `DatabaseUnavailableError`; everything else (SQL errors, the caller's own) as is. */
async function translateErrors<T>(pending: Promise<T>, target: string): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    const isUntranslatedFailure = isRetryableDatabaseError(error) && !(error instanceof DatabaseUnavailableError);
    throw isUntranslatedFailure ? new DatabaseUnavailableError(target, error) : error;
  }
}
