/**
 * Processes for the benches: an Anvil node with the bench's own settings, the indexer CLI (or another entry point
 * of the repository) as a child process whose log lines can be awaited, and what /proc says about a process (peak
 * RSS, CPU time).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import readline from "node:readline";
import { freePort, REPOSITORY_ROOT } from "../../test/helpers/node";

/**
 * The native Anvil binary; `node_modules/.bin/anvil` is a Node launcher around it, which would put a second
 * process between the bench and the one to measure.
 */
const ANVIL_BINARY = path.join(REPOSITORY_ROOT, "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");

/** A child process of the bench that can be stopped and measured. */
export interface BenchProcess {
  pid: number;
  stop(): Promise<void>;
}

/** A JSON-RPC node of the bench. */
export interface BenchNode extends BenchProcess {
  url: string;
}

/**
 * Anvil on a free loopback port with Hardhat's chain id and `args` on top (block gas limit, base fee). Anvil, not
 * `hardhat node`: it executes the bulk attestations several times faster.
 */
export async function startBenchAnvil(args: string[]): Promise<BenchNode> {
  const port = await freePort();
  const child = spawn(
    ANVIL_BINARY,
    ["--host", "127.0.0.1", "--port", String(port), "--chain-id", "31337", "--silent", ...args],
    { cwd: REPOSITORY_ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
  const stderr = tail(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}: ${stderr()}`);
    if (await rpc(url, "eth_chainId", []).then(Boolean, () => false)) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`anvil did not answer within 60 s: ${stderr()}`);
    }
    await sleep(100);
  }
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

/** One JSON-RPC call over `fetch`: no client-side batching or caching, so timings are the node's. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** One pino line of the indexer, with when the bench read it (`performance.now()`). */
export interface LogLine {
  at: number;
  fields: Record<string, unknown>;
}

/** Totals of the indexer's debug "batch indexed" lines: time spent on headers, decoding and the database. */
export interface BatchTotals {
  batches: number;
  events: number;
  durationMs: number;
  maxDurationMs: number;
}

/** A child process of the bench whose stdout is pino JSON lines, which can be awaited. */
export interface LoggingProcess extends BenchProcess {
  /** `performance.now()` at spawn. */
  spawnedAt: number;
  /** The first line (already read or still to come) that `predicate` accepts; rejects if the process exits first. */
  waitFor(predicate: (fields: Record<string, unknown>) => boolean, timeoutMs: number): Promise<LogLine>;
  /** The first line read so far that `predicate` accepts, if any. */
  seen(predicate: (fields: Record<string, unknown>) => boolean): LogLine | undefined;
}

/** The indexer CLI running as a child process. */
export interface IndexerProcess extends LoggingProcess {
  batches: BatchTotals;
}

/** How to run a TypeScript entry point of the repository as a child process. */
export interface ScriptOptions {
  /** Where V8 CPU profiles go (`--cpu-prof`), if anywhere. */
  cpuProfileDir?: string;
  /** Node options before `--import tsx` (the heap cap of the `npm run` script the bench stands for). */
  nodeOptions?: string[];
  /** Sees every JSON line first; returning true consumes it (it is then neither kept nor awaitable). */
  consume?: (fields: Record<string, unknown>) => boolean;
}

/**
 * Runs `node --import tsx indexer/main.ts` (not the tsx launcher, which would run the indexer in a grandchild
 * process), so `pid` is the process that indexes. At debug level the batch lines are tallied, not kept: memory of
 * the bench stays flat whatever the number of batches.
 */
export function spawnIndexer(args: string[], cpuProfileDir?: string): IndexerProcess {
  const batches: BatchTotals = { batches: 0, events: 0, durationMs: 0, maxDurationMs: 0 };
  const consume = (fields: Record<string, unknown>) => {
    if (fields.msg !== "batch indexed") return false;
    const duration = Number(fields.duration_ms);
    batches.batches += 1;
    batches.events += Number(fields.events);
    batches.durationMs += duration;
    batches.maxDurationMs = Math.max(batches.maxDurationMs, duration);
    return true;
  };
  const nodeOptions = npmScriptNodeOptions("indexer", "indexer/main.ts");
  return { ...spawnScript("indexer/main.ts", args, { cpuProfileDir, consume, nodeOptions }), batches };
}

/**
 * The Node options of `npm run <name>` (`node <options> --import tsx <script>`), so a bench runs the command as
 * users do (its heap cap included) without npm's process in between.
 */
function npmScriptNodeOptions(name: string, script: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const words = manifest.scripts[name].split(/\s+/);
  const tsx = words.indexOf("--import");
  if (words[0] !== "node" || tsx < 0 || words[tsx + 1] !== "tsx" || words[tsx + 2] !== script)
    throw new Error(`npm run ${name} is not "node [options] --import tsx ${script}": ${manifest.scripts[name]}`);
  return words.slice(1, tsx);
}

/**
 * Runs `node --import tsx <script>` from the repository root, so `pid` is the process that runs the script, and
 * reads its stdout as JSON lines. The first 1,000 lines not consumed are kept for {@link LoggingProcess.seen}.
 */
export function spawnScript(script: string, args: string[], options: ScriptOptions = {}): LoggingProcess {
  const spawnedAt = performance.now();
  const profile = options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [];
  const nodeOptions = options.nodeOptions ?? [];
  const child = spawn(process.execPath, [...profile, ...nodeOptions, "--import", "tsx", script, ...args], {
    cwd: REPOSITORY_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr = tail(child);
  const name = path.basename(path.dirname(script));
  const kept: LogLine[] = [];
  const waiters = new Set<{ predicate: (fields: Record<string, unknown>) => boolean; resolve(line: LogLine): void }>();
  readline.createInterface({ input: child.stdout! }).on("line", (text) => {
    const at = performance.now();
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (options.consume?.(fields)) return;
    const line = { at, fields };
    if (kept.length < 1000) kept.push(line);
    for (const waiter of waiters) {
      if (waiter.predicate(fields)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`the ${name} process exited (${code ?? signal}) before the awaited line: ${stderr()}`)),
    ),
  );
  exited.catch(() => undefined);
  return {
    pid: child.pid!,
    spawnedAt,
    seen: (predicate) => kept.find((line) => predicate(line.fields)),
    waitFor(predicate, timeoutMs) {
      const seen = kept.find((line) => predicate(line.fields));
      if (seen) return Promise.resolve(seen);
      let timer: NodeJS.Timeout | undefined;
      const waiter = { predicate, resolve: (_line: LogLine) => undefined as void };
      const found = new Promise<LogLine>((resolve) => {
        waiter.resolve = resolve;
        waiters.add(waiter);
      });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no such ${name} line within ${timeoutMs} ms: ${stderr()}`)),
          timeoutMs,
        );
      });
      return Promise.race([found, exited, timeout]).finally(() => {
        clearTimeout(timer);
        waiters.delete(waiter);
      });
    },
    stop: () => stopChild(child),
  };
}

/** The last few kilobytes a child wrote to stderr, for error messages. */
function tail(child: ChildProcess): () => string {
  let output = "";
  child.stderr?.on("data", (chunk) => (output = (output + String(chunk)).slice(-4000)));
  return () => output.trim();
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------------------------
// /proc

const CLOCK_TICKS_PER_SECOND = 100;

/** Peak resident set size (VmHWM) of a live process, in MiB. */
export function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/**
 * CPU seconds (user + system) a process used, with those of its reaped children; `withDescendants` adds its live
 * descendants (a PostgreSQL server's backends). 0 for a process that is gone.
 */
export function cpuSeconds(pid: number, withDescendants = false): number {
  let ticks = 0;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // After "pid (comm) ": state is field 0, utime 11, stime 12, cutime 13, cstime 14.
    ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
  } catch {
    return 0;
  }
  const own = ticks / CLOCK_TICKS_PER_SECOND;
  if (!withDescendants) return own;
  return childrenOf(pid).reduce((sum, child) => sum + cpuSeconds(child, true), own);
}

/** Live child processes of `pid`, from every thread's `children` list. */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
