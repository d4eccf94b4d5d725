import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { quoteIdentifier } from "../../indexer/store/database";
import type { Database } from "../../indexer/store/database";
import { openPgliteDatabase } from "../../indexer/store/pglite-database";
import { openPostgresDatabase } from "../../indexer/store/postgres-database";

/** A fresh, empty database for one test suite, with what a child process needs to open it too. */
export interface TestDatabase {
  database: Database;
  /** The database's URL, on PostgreSQL. */
  url?: string;
  /** The data folder, on PGlite. Never open it twice at once: PGlite is single-process. */
  dataDir?: string;
  /** Closes the database and deletes it (folder or server database). */
  close(): Promise<void>;
}

/** An engine the store's tests run against. */
export interface DatabaseTarget {
  name: "PGlite" | "PostgreSQL";
  open(): Promise<TestDatabase>;
}

/**
 * The engines to test on: PGlite always, and PostgreSQL when DXL_TEST_DATABASE_URL names a server (a URL whose
 * user may create databases), as the CI runs the same tests once on each.
 */
export function databaseTargets(): DatabaseTarget[] {
  const serverUrl = process.env.DXL_TEST_DATABASE_URL;
  const pglite: DatabaseTarget = { name: "PGlite", open: openTestPglite };
  return serverUrl ? [pglite, { name: "PostgreSQL", open: () => openTestPostgres(serverUrl) }] : [pglite];
}

/**
 * A hash of each table's content, independent of row order and physical layout, so two databases (or two engines)
 * can be compared. Rows are ordered by their JSON text in the "C" collation, which is the same everywhere.
 */
export async function tableChecksums(database: Database, tables: readonly string[]): Promise<Record<string, string>> {
  const checksums: Record<string, string> = {};
  for (const table of tables) {
    const [{ checksum }] = await database.query<{ checksum: string }>(
      `SELECT md5(coalesce(string_agg(row_to_json(t)::text, E'\\n' ORDER BY row_to_json(t)::text COLLATE "C"), ''))
         || ':' || count(*) AS checksum
       FROM ${quoteIdentifier(table)} t`,
    );
    checksums[table] = checksum;
  }
  return checksums;
}

/** A copy of a PGlite folder initialized once per process: opening a copy takes ~0.6 s, initdb ~3-5 s. */
let pgliteTemplate: Promise<string> | undefined;

async function createPgliteTemplate(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "dxl-pglite-template-"));
  process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
  const database = await openPgliteDatabase(folder);
  await database.close();
  return folder;
}

/** A new temporary PGlite folder, deleted on close. */
async function openTestPglite(): Promise<TestDatabase> {
  pgliteTemplate ??= createPgliteTemplate();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dxl-pglite-"));
  await cp(await pgliteTemplate, dataDir, { recursive: true });
  const database = await openPgliteDatabase(dataDir);
  const close = async () => {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { database, dataDir, close };
}

/** A new database `dxl_test_<random>` on the server, dropped on close even if connections are still open. */
async function openTestPostgres(serverUrl: string): Promise<TestDatabase> {
  const name = `dxl_test_${randomBytes(6).toString("hex")}`;
  await runOnServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabaseName(serverUrl, name);
  const dropDatabase = () => runOnServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const database = await openPostgresDatabase(url).catch(async (error) => {
    await dropDatabase();
    throw error;
  });
  const close = async () => {
    await database.close();
    await dropDatabase();
  };
  return { database, url, close };
}

/** Runs one administrative statement (CREATE/DROP DATABASE) on the server's maintenance database. */
async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const server = await openPostgresDatabase(serverUrl, { maxConnections: 1 });
  try {
    await server.exec(sql);
  } finally {
    await server.close();
  }
}

/** The same server and credentials, another database. */
function withDatabaseName(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
