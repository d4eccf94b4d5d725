import { Writable } from "node:stream";
import { loadIndexerConfig } from "../../indexer/config";
import { startIndexer } from "../../indexer/indexer";
import type { RunningIndexer } from "../../indexer/indexer";
import { createLogger } from "../../indexer/ops";
import { INDEXED_TABLES } from "../../indexer/store";
import type { Database } from "../../indexer/store";
import { tableChecksums } from "./databases";
import type { DatabaseTarget } from "./databases";
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
