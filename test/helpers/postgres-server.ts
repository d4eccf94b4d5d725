import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./node";

const run = promisify(execFile);

/** Where the machine image puts the PostgreSQL 15 server binaries (Debian package `postgresql-15`). */
export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";

/** A throw-away PostgreSQL server of our own, for tests that must restart or stop it. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  /** A fast restart (`pg_ctl restart -m fast`): open connections are terminated with 57P01. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/**
 * Starts a fresh server on a free loopback port, in a temporary folder, as the `postgres` user (the server refuses
 * to run as root). Needs root and the binaries at POSTGRES_BIN.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  if (process.getuid?.() !== 0 || !existsSync(POSTGRES_BIN)) {
    throw new Error(`startPostgresServer needs root and PostgreSQL 15 binaries in ${POSTGRES_BIN}`);
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), "dxl-postgres-"));
  try {
    return await startServerIn(folder);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/** initdb and start in `folder`, which the caller deletes if this fails. */
async function startServerIn(folder: string): Promise<PostgresServer> {
  const { uid, gid } = await postgresUser();
  await chown(folder, uid, gid);
  const dataDir = path.join(folder, "data");
  await asPostgres("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  // fsync off: a test server's data need not survive a machine crash, and it makes start-up and COPY faster.
  const settings = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${folder} -c fsync=off`;
  const pgCtl = (...args: string[]) =>
    asPostgres("pg_ctl", ["-D", dataDir, "-l", path.join(folder, "log"), "-w", ...args]);
  await pgCtl("-o", settings, "start");
  const inTurn = serialized();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => inTurn(() => pgCtl("-m", "fast", "restart")),
    stop: () =>
      inTurn(async () => {
        try {
          await pgCtl("-m", "fast", "stop");
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      }),
  };
}

/** Runs actions one after another, so a stop waits for a restart that an abandoned test left running. */
function serialized(): (action: () => Promise<void>) => Promise<void> {
  let previous: Promise<void> = Promise.resolve();
  return (action) => {
    const next = previous.catch(() => undefined).then(action);
    previous = next;
    return next;
  };
}

/** Runs one of the server's programs as the `postgres` user. */
async function asPostgres(program: string, args: string[]): Promise<void> {
  await run("runuser", ["-u", "postgres", "--", path.join(POSTGRES_BIN, program), ...args]);
}

/** The numeric ids of the `postgres` user, to hand it the data folder. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all(
    ["-u", "-g"].map(async (flag) => Number((await run("id", [flag, "postgres"])).stdout)),
  );
  return { uid, gid };
}
