/**
 * `dxl index` and `dxl serve`: the indexer (`npm run indexer`) and the GraphQL API (`npm run api`), every flag passed
 * through to them as they are (`dxl index --help`, `dxl serve --help` list them).
 */
import type { Command } from "commander";

type PassThroughCommand = (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<number>;

// Loaded only when run: the indexer and the API bring the database engines and GraphQL, which other commands need not
// pay for at start-up.
const runIndexerCommand: PassThroughCommand = async (argv, env) =>
  (await import("../../../indexer/cli")).runIndexerCommand(argv, env);
const runApiCommand: PassThroughCommand = async (argv, env) =>
  (await import("../../../indexer/api/cli")).runApiCommand(argv, env);

/** Registers `dxl index` and `dxl serve`. */
export function registerIndexerCommands(program: Command): void {
  passThrough(program, "index", "index the chain into the database (the indexer's own flags)", runIndexerCommand);
  passThrough(program, "serve", "serve the GraphQL API (the API's own flags)", runApiCommand);
}

function passThrough(program: Command, name: string, description: string, run: PassThroughCommand): void {
  program
    .command(name)
    .description(description)
    .helpOption(false)
    .allowUnknownOption()
    .argument("[flags...]", "passed to the command as they are")
    .action(async (flags: string[] = []) => {
      process.exitCode = await run(flags, process.env);
    });
}
