import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import { Writable } from "node:stream";
import { loadIndexerConfig, SETTINGS } from "../../indexer/config";
import { startIndexer } from "../../indexer/indexer";
import type { RunningIndexer } from "../../indexer/indexer";
import { createLogger } from "../../indexer/ops";
import { INDEXED_TABLES } from "../../indexer/store";
import type { Database } from "../../indexer/store";
import { openPgliteDatabase } from "../../indexer/store/pglite-database";
import { tableChecksums } from "./databases";
import type { DatabaseTarget, TestDatabase } from "./databases";
import { REPOSITORY_ROOT, startAnvil, startHardhatNode } from "./node";
import type { NodeProcess } from "./node";

/** The two JSON-RPC implementations every indexer suite runs against. */
export const NODE_KINDS: readonly { name: string; start(): Promise<NodeProcess> }[] = [
  { name: "hardhat node", start: startHardhatNode },
  { name: "Anvil", start: startAnvil },
];

/** An indexer running in this process, and the log lines it wrote. */
export interface IndexerUnderTest extends RunningIndexer {
  logLines: Record<string, unknown>[];
}

/**
 * Starts the real indexer in-process on `database`, configured as the command line would be (`args` are flags);
 * fast polling, no ops server unless asked.
 */
export async function startTestIndexer(
  rpcUrl: string,
  deploymentsFile: string,
  database: Database,
  args: string[] = [],
): Promise<IndexerUnderTest> {
  const config = loadIndexerConfig(
    ["--rpc-url", rpcUrl, "--deployments", deploymentsFile, "--poll-interval", "20", "--ops-port", "off", ...args],
    {},
  );
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      callback();
    },
  });
  const logger = createLogger({ level: "info", destination });
  const indexer = await startIndexer(config, { logger, isTTY: false }, { database });
  return Object.assign(indexer, { logLines });
}

/** Resolves once the indexer has committed `block`; rejects if it stops or takes longer than `timeoutMs`. */
export async function indexedUpTo(indexer: RunningIndexer, block: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stopped: unknown = null;
  indexer.done.catch((error) => (stopped = error));
  while ((indexer.sync.status().indexedBlock ?? -1) < block) {
    if (stopped) throw stopped;
    if (Date.now() > deadline) {
      throw new Error(`block ${block} not indexed in ${timeoutMs} ms: ${JSON.stringify(indexer.sync.status())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * What must be identical between two indexes of the same chain: the events, every projection and the checkpoint.
 * The `blocks` table is left out: which headers are kept depends on how far the head was when a block was read.
 */
export async function indexChecksums(database: Database): Promise<Record<string, string>> {
  const checksums = await tableChecksums(
    database,
    INDEXED_TABLES.filter((table) => table !== "blocks"),
  );
  const [checkpoint] = await database.query<{ position: string }>(
    "SELECT block_number || ':' || block_hash AS position FROM checkpoint",
  );
  return { ...checksums, checkpoint: checkpoint?.position ?? "none" };
}

/** The checksums of a fresh index, from scratch into a new database of `target`, up to `head`. */
export async function freshIndexChecksums(
  target: DatabaseTarget,
  rpcUrl: string,
  deploymentsFile: string,
  head: number,
): Promise<Record<string, string>> {
  const handle = await target.open();
  try {
    const indexer = await startTestIndexer(rpcUrl, deploymentsFile, handle.database);
    try {
      await indexedUpTo(indexer, head);
    } finally {
      await indexer.stop();
    }
    return await indexChecksums(handle.database);
  } finally {
    await handle.close();
  }
}

/** The indexer command running as a child process, as an operator starts it, and what it printed. */
export interface IndexerProcess {
  child: ChildProcess;
  /** stdout's JSON log lines, parsed, as they arrive. */
  logLines: Record<string, unknown>[];
  /** Everything written to stdout and to stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has ended, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first log line with this `msg`; rejects if the process ends first or after `timeoutMs`. */
  logLine(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/**
 * Starts `indexer/main.ts` in its own Node.js process with `args`. It runs as `node --import tsx` rather than
 * through the `tsx` command, which would run it in a grandchild that a SIGKILL of the child never reaches. Settings
 * in this process's environment (DXL_RPC_URL, ...) are not passed on: only `args` and `env` configure it.
 */
export function spawnIndexer(args: string[], env: NodeJS.ProcessEnv = {}): IndexerProcess {
  const settingNames = new Set(Object.values(SETTINGS).map((setting) => setting.env));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !settingNames.has(name)));
  const child = spawn(process.execPath, ["--import", "tsx", "indexer/main.ts", ...args], {
    cwd: REPOSITORY_ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let pending = "";
  const logLines: Record<string, unknown>[] = [];
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    const lines = (pending + chunk).split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const parsed = parseLogLine(line);
      if (parsed) logLines.push(parsed);
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  // A child must never outlive the tests, even when one fails or times out with it still running.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => {
      hasExited = true;
      process.off("exit", killOnExit);
      resolve({ code, signal });
    }),
  );

  async function logLine(msg: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = logLines.find((candidate) => candidate.msg === msg);
      if (line) return line;
      if (hasExited) throw new Error(`the indexer exited before logging "${msg}": ${stderr}`);
      if (Date.now() > deadline) throw new Error(`the indexer did not log "${msg}" within ${timeoutMs} ms: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  return { child, logLines, stdout: () => stdout, stderr: () => stderr, exited, logLine };
}

/** A JSON log line, or undefined for other output (`--help` prints text). */
function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Kills `run` with SIGKILL if it is still running, and waits until it has ended. */
export async function killIndexerProcess(run: IndexerProcess | undefined): Promise<void> {
  if (!run) return;
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  await run.exited;
}

/** A test database handed to indexer processes, and read back in this process between their runs. */
export interface SharedTestDatabase {
  /** The flags that point the indexer command at it. */
  args: string[];
  /** Runs `work` on the database in this process; on PGlite, only while no child process has the folder open. */
  read<T>(work: (database: Database) => Promise<T>): Promise<T>;
  /** Deletes the database. */
  close(): Promise<void>;
}

/**
 * Makes `handle` usable by child processes. PGlite admits one process per folder, so its database is closed here
 * (the folder kept) and reopened for each read; a PostgreSQL database stays open, as the server admits many clients.
 */
export async function shareWithChildProcesses(handle: TestDatabase): Promise<SharedTestDatabase> {
  const { dataDir, url } = handle;
  if (url) {
    return { args: ["--database-url", url], read: (work) => work(handle.database), close: () => handle.close() };
  }
  await handle.database.close();
  return {
    args: ["--data-dir", dataDir!],
    async read(work) {
      const database = await openPgliteDatabase(dataDir!);
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    },
    close: () => rm(dataDir!, { recursive: true, force: true }),
  };
}
