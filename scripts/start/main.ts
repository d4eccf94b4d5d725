/**
 * `npm start`: the whole system on embedded defaults, from a fresh clone. Starts (or resumes) the local chain,
 * deploys the suite, seeds the demo scenario, indexes it and serves the API, then prints where everything is;
 * Ctrl-C stops it all cleanly. Exit codes: 0 after Ctrl-C/SIGTERM, 1 when something cannot start, 2 on bad
 * settings.
 */
import { createLogger } from "../../indexer/ops";
import { bannerLines } from "./banner";
import { readStartOptions, StartOptionsError, startUsage } from "./options";
import { seedOrResumeScenario } from "./scenario";
import { startSystem } from "./system";

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (argv.includes("--help")) {
    console.log(startUsage());
    return 0;
  }
  let options;
  try {
    options = readStartOptions(argv, env);
  } catch (error) {
    if (!(error instanceof StartOptionsError)) throw error;
    console.error(error.problems.map((problem) => `npm start: ${problem}`).join("\n"));
    return 2;
  }
  const started = performance.now();
  const progress = (message: string) => console.log(`[dxl] ${message}`);
  // The services log warnings and errors only: the banner is what a newcomer reads.
  const logger = createLogger({ level: "warn", destination: process.stderr });
  let system;
  try {
    system = await startSystem(options, seedOrResumeScenario, { logger, progress });
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}`);
    return 1;
  }
  progress(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const banner = bannerLines({
    chainUrl: system.chainUrl,
    startedChain: system.startedChain,
    deploymentFile: system.deploymentFile,
    graphqlUrl: system.api.graphqlUrl,
    stateDir: options.stateDir,
    sessionSecret: system.sessionSecret,
    scenario: system.summary,
  });
  console.log(banner.join("\n"));
  const outcome = await Promise.race([
    signal(),
    system.indexer.done.then(
      () => null,
      (error: Error) => error,
    ),
  ]);
  if (outcome instanceof Error) console.error(`npm start: the indexer stopped: ${outcome.message}`);
  progress("stopping");
  await system.stop();
  progress("stopped; npm start resumes from here");
  return outcome instanceof Error ? 1 : 0;
}

/** The first SIGINT or SIGTERM; later ones are ignored while everything stops in order. */
function signal(): Promise<string> {
  return new Promise((resolve) => {
    process.on("SIGINT", () => resolve("SIGINT"));
    process.on("SIGTERM", () => resolve("SIGTERM"));
  });
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`npm start: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
