import { ConfigError, apiUsage, loadApiConfig } from "./config";
import type { ApiConfig } from "./config";
import { StartupError, startIndexer } from "../indexer";
import type { RunningIndexer } from "../indexer";
import { createLogger } from "../ops";
import type { Logger } from "../ops";
import { openDatabase } from "../store";
import type { Database } from "../store";
import { startApiServer } from "./server";
import type { ApiServer } from "./server";
import { isWorkersPrimary, superviseWorkers } from "./workers";

/** Everything one run started, in the order it must stop. */
interface Running {
  server: ApiServer;
  indexer: RunningIndexer | null;
  database: Database;
}

/** A start-up failure worth one line on stderr and exit code 1 (the reason names the setting or service). */
class ApiStartupError extends Error {}

/**
 * `npm run api` (and later `dxl serve`): serves until SIGINT/SIGTERM, then stops the server, the in-process
 * indexer (after its open batch) and the database. Resolves to the process exit code: 0 after a requested stop,
 * 1 when it cannot start or the in-process indexer stops on a fatal error, 2 on bad configuration.
 */
export async function runApiCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes("--help")) {
    console.log(apiUsage());
    return 0;
  }
  let config: ApiConfig;
  try {
    config = loadApiConfig(argv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.problems.map((problem) => `dxl api: ${problem}`).join("\n"));
    return 2;
  }
  const logger = createLogger({ level: config.logLevel });
  if (isWorkersPrimary(config.workers)) return superviseWorkers(config.workers, env, logger);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (error) {
    if (!(error instanceof ApiStartupError || error instanceof StartupError)) throw error;
    console.error(`dxl api: ${error.message}`);
    return 1;
  }
  return serveUntilStopped(running, logger);
}

/** Opens the database, starts the indexer if asked, then the server; undoes what started if a later step fails. */
async function start(config: ApiConfig, logger: Logger): Promise<Running> {
  const database = await openApiDatabase(config);
  let indexer: RunningIndexer | null = null;
  try {
    if (config.indexer) {
      indexer = await startIndexer(config.indexer, { logger, isTTY: Boolean(process.stderr.isTTY) }, { database });
    } else if (!config.databaseUrl) {
      logger.warn({ data_dir: config.dataDir }, "PGlite admits one process: no indexer may have this folder open");
    }
    const server = await listenOrExplain(config, database, indexer, logger);
    return { server, indexer, database };
  } catch (error) {
    await indexer?.stop();
    await database.close();
    throw error;
  }
}

async function openApiDatabase(config: ApiConfig): Promise<Database> {
  try {
    return await openDatabase({ url: config.databaseUrl ?? undefined, dataDir: config.dataDir });
  } catch (error) {
    throw new ApiStartupError((error as Error).message);
  }
}

async function listenOrExplain(
  config: ApiConfig,
  database: Database,
  indexer: RunningIndexer | null,
  logger: Logger,
): Promise<ApiServer> {
  try {
    return await startApiServer({
      database,
      indexerStatus: indexer ? () => indexer.sync.status() : undefined,
      host: config.host,
      port: config.port,
      domain: config.domain,
      open: config.open,
      sessionSecret: config.sessionSecret,
      tokenLifetimeSeconds: config.tokenLifetimeSeconds,
      nonceLifetimeSeconds: config.nonceLifetimeSeconds,
      responseCacheBytes: config.responseCacheMb * 1024 * 1024,
      rpcUrl: config.rpcUrl,
      logger,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ApiStartupError(`cannot listen on ${config.host}:${config.port}: ${code}`);
  }
}

/** Waits for a signal (exit 0) or the in-process indexer's fatal error (exit 1), then stops everything. */
async function serveUntilStopped(running: Running, logger: Logger): Promise<number> {
  const signalled = new Promise<string>((resolve) => {
    // `on`, not `once`: a second signal (Ctrl-C reaches every worker, then their primary forwards SIGTERM) must
    // not kill the process in the middle of its orderly stop.
    process.on("SIGINT", () => resolve("SIGINT"));
    process.on("SIGTERM", () => resolve("SIGTERM"));
  });
  const indexerFailed = running.indexer
    ? running.indexer.done.then(
        () => null,
        (error: Error) => error,
      )
    : null;
  const outcome = await Promise.race([signalled, ...(indexerFailed ? [indexerFailed] : [])]);
  if (outcome instanceof Error) {
    logger.fatal({ err: outcome.message }, "the in-process indexer stopped on a fatal error");
    console.error(`dxl api: the in-process indexer stopped: ${outcome.message}`);
  } else {
    logger.info({ signal: outcome }, "stopping");
  }
  await running.server.close();
  await running.indexer?.stop().catch(() => undefined);
  await running.database.close();
  logger.info("api stopped");
  return outcome instanceof Error ? 1 : 0;
}
