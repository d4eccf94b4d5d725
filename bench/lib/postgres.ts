/**
 * The PostgreSQL a bench writes to: a fresh database on the server DXL_BENCH_DATABASE_URL names, or on a
 * throw-away server the bench starts itself; the database (and the server) go away at cleanup.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { quoteIdentifier } from "../../indexer/store/database";
import { startPostgresServer } from "../../test/helpers/postgres-server";
import type { Cleanup } from "./cleanup";

/** A bench's database. */
export interface PostgresTarget {
  /** A fresh database of the server. */
  url: string;
  /** The postmaster, when the server runs on this machine (its CPU time is then counted). */
  serverPid: number | null;
  /** Whether the bench started the server (with fsync off) or was given one. */
  own: boolean;
}

/** A fresh database on DXL_BENCH_DATABASE_URL's server, or on a server the bench starts. */
export async function openBenchPostgres(
  cleanup: Cleanup,
  progress: (message: string) => void,
): Promise<PostgresTarget> {
  const given = process.env.DXL_BENCH_DATABASE_URL;
  let serverUrl = given;
  if (!serverUrl) {
    progress("starting a PostgreSQL server");
    const server = await startPostgresServer();
    cleanup.add(() => server.stop());
    serverUrl = server.url;
  }
  const name = `dxl_bench_${process.pid}_${Date.now()}`;
  const dataDirectory = await createDatabase(serverUrl, name);
  cleanup.add(() =>
    asAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), serverPid: postmasterPid(dataDirectory), own: !given };
}

/** Creates database `name` and returns the server's data directory. */
async function createDatabase(serverUrl: string, name: string): Promise<string> {
  return asAdmin(serverUrl, async (admin) => {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    return (await admin.query<{ data_directory: string }>("SHOW data_directory")).rows[0].data_directory;
  });
}

/** Runs `work` on a connection to the server's maintenance database. */
async function asAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** The server's pid from its `postmaster.pid`, if the data directory is on this machine and readable. */
function postmasterPid(dataDirectory: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDirectory, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isSafeInteger(pid) && fs.existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null;
  }
}
