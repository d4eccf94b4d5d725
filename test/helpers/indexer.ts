import { Writable } from "node:stream";
import { loadIndexerConfig } from "../../indexer/config";
import { startIndexer } from "../../indexer/indexer";
import type { RunningIndexer } from "../../indexer/indexer";
import { createLogger } from "../../indexer/ops";
import type { Database } from "../../indexer/store";
import { startAnvil, startHardhatNode } from "./node";
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
