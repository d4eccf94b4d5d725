/**
 * The API tests' fixture: a real node with the suite deployed and every event driven, indexed by the real indexer
 * running in this process on a fresh database of one target, and API servers started on that same database.
 */
import { Writable } from "node:stream";
import { driveEveryEvent, deployOnNode } from "../../helpers/activity";
import type { Activity, Deployment } from "../../helpers/activity";
import type { DatabaseTarget, TestDatabase } from "../../helpers/databases";
import { indexedUpTo, startTestIndexer } from "../../helpers/indexer";
import type { IndexerUnderTest } from "../../helpers/indexer";
import { startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";
import { startApiServer } from "../../../indexer/api/server";
import type { ApiServer, ApiServerOptions } from "../../../indexer/api/server";
import { createLogger } from "../../../indexer/ops";
import type { Logger } from "../../../indexer/ops";

/** The key every test server signs session tokens with, so tests can mint tokens of their own. */
export const TEST_SESSION_SECRET = "test-session-secret-of-at-least-32-bytes";

/** The indexed ledger a suite runs against. */
export interface IndexedLedger {
  chain: NodeProcess;
  deployment: Deployment;
  activity: Activity;
  handle: TestDatabase;
  indexer: IndexerUnderTest;
  /** Resolves once every block mined so far is indexed; returns the last one. */
  catchUp(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a node, deploys, drives every event and indexes it all into a fresh database of `target`. */
export async function startIndexedLedger(target: DatabaseTarget): Promise<IndexedLedger> {
  const chain = await startHardhatNode();
  const deployment = await deployOnNode(chain.url);
  const activity = await driveEveryEvent(deployment);
  const handle = await target.open();
  const indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, handle.database);
  const catchUp = async () => {
    const block = await deployment.provider.getBlockNumber();
    await indexedUpTo(indexer, block);
    return block;
  };
  await catchUp();
  const stop = async () => {
    await indexer.stop();
    await handle.close();
    deployment.provider.destroy();
    await chain.stop();
  };
  return { chain, deployment, activity, handle, indexer, catchUp, stop };
}

/** A server under test and the log lines it wrote. */
export interface ServerUnderTest extends ApiServer {
  logLines: Record<string, unknown>[];
}

/**
 * Starts an API server on the ledger's database, on a free loopback port, sharing the in-process indexer as the
 * CLI's `--with-indexer` does.
 */
export async function startTestApi(
  ledger: IndexedLedger,
  overrides: Partial<ApiServerOptions> = {},
): Promise<ServerUnderTest> {
  const { logger, logLines } = capturingLogger();
  const server = await startApiServer({
    database: ledger.handle.database,
    indexerStatus: () => ledger.indexer.sync.status(),
    host: "127.0.0.1",
    port: 0,
    sessionSecret: TEST_SESSION_SECRET,
    rpcUrl: ledger.chain.url,
    logger,
    ...overrides,
  });
  return Object.assign(server, { logLines });
}

/** A logger whose JSON lines are kept, parsed, for assertions. */
export function capturingLogger(): { logger: Logger; logLines: Record<string, unknown>[] } {
  const logLines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ level: "info", destination }), logLines };
}
