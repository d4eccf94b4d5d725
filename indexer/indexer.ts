import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { readDeployment } from "../scripts/lib/deployment";
import type { DeploymentRecord } from "../scripts/lib/deployment";
import { createChainReader, createLogRangeReader, RpcError } from "./chain";
import type { ChainReader } from "./chain";
import type { IndexerConfig } from "./config";
import { createDecoder, SUITE_CONTRACT_NAMES } from "./decode";
import type { WatchedContract } from "./decode";
import { createIndexerMetrics, createProgressReporter, redactUrl, startOpsServer } from "./ops";
import type { IndexerMetrics, IndexerStatus, OpsServer, OpsServerOptions, SyncObserver } from "./ops";
import { createIndexStore, isRetryableDatabaseError, openDatabase } from "./store";
import type { Database, PgliteCreation } from "./store";
import { confirmationsOf, createSync } from "./sync";
import type { Sync } from "./sync";

/** The indexer could not start: a one-line reason that names the setting or service at fault. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** A running indexer. */
export interface RunningIndexer {
  sync: Sync;
  /** The index's database, for readers in the same process (PGlite admits one process only). */
  database: Database;
  /** Where /healthz, /readyz and /metrics answer; null when turned off. */
  opsUrl: string | null;
  /** Settles when the sync loop ends: resolved after {stop}, rejected with a fatal error. */
  done: Promise<void>;
  /** Stops after the open batch (committed or rolled back, never half) and releases everything. */
  stop(): Promise<void>;
}

/** How the indexer talks to its operator. */
export interface IndexerIo {
  logger: Logger;
  /** Draw a progress bar (a terminal) rather than log progress lines. */
  isTTY: boolean;
}

const STARTUP_RPC_ATTEMPTS = 3;
const INITIAL_LOG_RANGE = 50;
/** Logs one eth_getLogs call aims at: enough to amortize the round trip, under common provider caps. */
const TARGET_LOGS_PER_BATCH = 2_000;

/**
 * Checks the node, the deployment record and the database (in that order, so a bad setting writes nothing),
 * then starts the sync loop and the operations endpoints.
 */
export async function startIndexer(
  config: IndexerConfig,
  io: IndexerIo,
  shared: { database?: Database } = {},
): Promise<RunningIndexer> {
  const chainId = await reachNode(config.rpcUrl);
  const record = loadRecord(config, chainId);
  const contracts: WatchedContract[] = SUITE_CONTRACT_NAMES.map((name) => ({
    name,
    address: record.contracts[name]!.address,
  }));
  const metrics = createIndexerMetrics();
  // The endpoints bind before the database opens, so a busy port is refused with nothing written.
  const starting: IndexerStatus = {
    chainId,
    headBlock: null,
    indexedBlock: null,
    confirmations: confirmationsOf(config.finality),
    following: false,
    stoppedBy: null,
  };
  let status = () => starting;
  const ops = await openOpsEndpoints(config, { status: () => status(), metrics, logger: io.logger });
  let database: Database;
  try {
    database = shared.database ?? (await openIndexDatabase(config, io.logger));
  } catch (error) {
    await ops?.close();
    throw error;
  }
  // A database handed in belongs to the caller, who closes it.
  const release = async () => {
    await ops?.close();
    if (!shared.database) await database.close();
  };
  try {
    const running = await run(config, io, { chainId, record, contracts, database, release, metrics, ops });
    status = running.sync.status;
    return running;
  } catch (error) {
    await release();
    throw error;
  }
}

/** The ops endpoints, or null when turned off; a port that cannot be bound is a StartupError naming it. */
async function openOpsEndpoints(
  config: IndexerConfig,
  options: Pick<OpsServerOptions, "status" | "metrics" | "logger">,
): Promise<OpsServer | null> {
  if (config.opsPort === null) return null;
  try {
    return await startOpsServer({ host: config.opsHost, port: config.opsPort, ...options });
  } catch (error) {
    throw new StartupError(
      `cannot serve /healthz, /readyz and /metrics on ${config.opsHost}:${config.opsPort} ` +
        `(--ops-host/--ops-port, DXL_OPS_HOST/DXL_OPS_PORT): ${(error as Error).message}`,
    );
  }
}

async function run(
  config: IndexerConfig,
  io: IndexerIo,
  context: {
    chainId: number;
    record: DeploymentRecord;
    contracts: WatchedContract[];
    database: Database;
    release: () => Promise<void>;
    metrics: IndexerMetrics;
    ops: OpsServer | null;
  },
): Promise<RunningIndexer> {
  const { logger } = io;
  const { metrics, ops } = context;
  const reader = createChainReader({ url: config.rpcUrl, observer: metrics });
  const store = await createIndexStore(context.database);
  const progress = createProgressReporter({ logger, isTTY: io.isTTY });
  const sync = createSync(
    {
      reader,
      ranges: createLogRangeReader(reader, {
        // Start small and grow while sparse: a dense first range could be one huge eth_getLogs response.
        initialRange: Math.min(INITIAL_LOG_RANGE, config.batchSize),
        maxRange: config.batchSize,
        targetLogsPerRange: TARGET_LOGS_PER_BATCH,
      }),
      store,
      decoder: createDecoder(context.contracts, (log, reason) =>
        logger.warn({ block_number: log.blockNumber, log_index: log.logIndex, reason }, "undecodable log kept raw"),
      ),
      observer: combineObservers(metrics, progress),
      isTransient: (error) => error instanceof RpcError || isRetryableDatabaseError(error),
      onTransientError: (error, delayMs) => logger.warn({ err: error.message, retry_in_ms: delayMs }, "retrying"),
    },
    {
      chainId: context.chainId,
      contracts: context.contracts,
      startBlock: config.startBlock ?? context.record.startBlock,
      finality: config.finality,
      pollIntervalMs: config.pollIntervalMs,
      maxEventsPerWrite: config.writeSize,
    },
  );
  logger.info(
    {
      chain_id: context.chainId,
      rpc_url: redactUrl(config.rpcUrl),
      database: context.database.engine,
      start_block: config.startBlock ?? context.record.startBlock,
      finality: config.finality,
      ops_url: ops?.url ?? null,
    },
    "indexer started",
  );
  const controller = new AbortController();
  const done = sync.run(controller.signal).finally(async () => {
    progress.stop();
    await context.release();
  });
  return {
    sync,
    database: context.database,
    opsUrl: ops?.url ?? null,
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** The node's chain id, or a StartupError naming the unreachable node. */
async function reachNode(rpcUrl: string): Promise<number> {
  const probe: ChainReader = createChainReader({ url: rpcUrl, maxAttempts: STARTUP_RPC_ATTEMPTS });
  try {
    return await probe.chainId();
  } catch (error) {
    throw new StartupError(`cannot reach the node at ${redactUrl(rpcUrl)}: ${(error as Error).message}`);
  }
}

/** The deployment record of `chainId`, checked against it. */
function loadRecord(config: IndexerConfig, chainId: number): DeploymentRecord {
  const file = config.deploymentsFile ?? path.join(config.deploymentsDir, `${chainId}.json`);
  if (!fs.existsSync(file)) {
    throw new StartupError(
      `no deployment record at ${file} (chain ${chainId}): deploy the suite first, npm run deploy`,
    );
  }
  let record: DeploymentRecord | undefined;
  try {
    record = readDeployment(file);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  if (record?.chainId !== chainId) {
    throw new StartupError(
      `the deployment record ${file} is of chain ${record?.chainId}, but the node is chain ${chainId}`,
    );
  }
  const missing = SUITE_CONTRACT_NAMES.filter((name) => !record.contracts[name]?.address);
  if (missing.length > 0) throw new StartupError(`the deployment record ${file} has no ${missing.join(", ")}`);
  return record;
}

async function openIndexDatabase(config: IndexerConfig, logger: Logger): Promise<Database> {
  const onCreated = ({ durationMs, peakRssMb }: PgliteCreation) =>
    logger.info(
      { data_dir: config.dataDir, duration_ms: durationMs, peak_rss_mb: Math.round(peakRssMb) },
      "created the PGlite database",
    );
  try {
    return await openDatabase(
      { url: config.databaseUrl ?? undefined, dataDir: config.dataDir },
      { pglite: { onCreated } },
    );
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
}

/** One observer that tells each of `observers`. */
function combineObservers(...observers: SyncObserver[]): SyncObserver {
  return {
    onResume: (indexedBlock) => observers.forEach((observer) => observer.onResume(indexedBlock)),
    onHead: (head) => observers.forEach((observer) => observer.onHead(head)),
    onBatch: (batch) => observers.forEach((observer) => observer.onBatch(batch)),
    onReorg: (reorg) => observers.forEach((observer) => observer.onReorg(reorg)),
    onFollowing: () => observers.forEach((observer) => observer.onFollowing()),
  };
}
