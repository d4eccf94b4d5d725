/**
 * The local chain `npm start` runs: Anvil on 127.0.0.1, chain id 31337, its state (accounts, contracts, every
 * block and receipt) loaded from and saved to one file, so a second start resumes the same chain that the index
 * and the scenario's files describe. Hardhat's node keeps its chain in memory only, which a restart would lose.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";

/** A running local chain. */
export interface LocalChain {
  url: string;
  /** Stops the node, which writes its state file on the way out. */
  stop(): Promise<void>;
}

const ANVIL = path.resolve(__dirname, "../../node_modules/.bin/anvil");
const START_TIMEOUT_MS = 30_000;
/** Seconds between state saves while running, so a crash loses at most this much of the chain. */
const STATE_INTERVAL_SECONDS = 5;

/** Starts Anvil on `port` with its state in `stateFile`; resolves once it answers JSON-RPC. */
export async function startLocalChain(port: number, stateFile: string): Promise<LocalChain> {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", "31337", "--silent"];
  args.push("--state", stateFile, "--state-interval", String(STATE_INTERVAL_SECONDS));
  // Its own process group: Ctrl-C reaches npm start, which stops the chain last, after the indexer.
  const child = spawn(ANVIL, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the local chain (anvil) exited on start: ${output.trim()}`);
    if (await answersJsonRpc(url)) {
      await keepClockAhead(url);
      return { url, stop: () => stopChain(child) };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopChain(child);
  throw new Error(`the local chain did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s`);
}

/**
 * A development chain's clock may run ahead of the wall clock (the demo scenario moves it forward to let a grant
 * expire); Anvil saves the blocks but not that offset, so after a restart calls would run at the wall clock's
 * time, before the latest block. Puts the offset back: the chain's time goes on from its latest block.
 */
async function keepClockAhead(url: string): Promise<void> {
  const latest = (await rpc(url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  const ahead = Number(BigInt(latest.timestamp)) - Math.floor(Date.now() / 1000);
  if (ahead > 0) await rpc(url, "evm_increaseTime", [ahead]);
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`the local chain refused ${method}: ${body.error.message}`);
  return body.result;
}

/** Whether something answering JSON-RPC already listens at `url` (another chain: npm start will not replace it). */
export async function answersJsonRpc(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** SIGTERM, so Anvil saves its state; SIGKILL if it has not gone within 10 s. */
async function stopChain(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
