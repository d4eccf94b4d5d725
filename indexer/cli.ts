import { ConfigError, loadIndexerConfig, usage } from "./config";
import { StartupError, startIndexer } from "./indexer";
import { createLogger } from "./ops";

/**
 * `npm run indexer` (and later `dxl index`): runs until SIGINT/SIGTERM, then stops after the open batch.
 * Resolves to the process exit code: 0 after a requested stop, 1 on a fatal error, 2 on bad configuration.
 */
export async function runIndexerCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes("--help")) {
    console.log(usage());
    return 0;
  }
  let config;
  try {
    config = loadIndexerConfig(argv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.problems.map((problem) => `dxl indexer: ${problem}`).join("\n"));
    return 2;
  }
  const logger = createLogger({ level: config.logLevel });
  let indexer;
  try {
    indexer = await startIndexer(config, { logger, isTTY: Boolean(process.stderr.isTTY) });
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    console.error(`dxl indexer: ${error.message}`);
    return 1;
  }
  const stop = (signal: string) => {
    logger.info({ signal }, "stopping after the open batch");
    void indexer.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await indexer.done;
    logger.info("indexer stopped");
    return 0;
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, "indexer stopped on a fatal error");
    console.error(`dxl indexer: ${(error as Error).message}`);
    return 1;
  }
}
