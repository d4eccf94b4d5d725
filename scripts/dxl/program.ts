/**
 * The `dxl` command line: every command registered on one commander program.
 */
import { Command } from "commander";
import { registerAttestCommand } from "./commands/attest";
import { registerDeliveryCommands } from "./commands/delivery";
import { registerDeployCommand } from "./commands/deploy";
import { registerEvidenceCommands } from "./commands/evidence";
import { registerGrantCommands } from "./commands/grants";
import { registerIndexerCommands } from "./commands/indexer";
import { registerMemberCommands } from "./commands/member";
import { registerOrgCommands } from "./commands/org";
import { registerRelayCommand } from "./commands/relay";
import { registerRequestCommand } from "./commands/request";
import { registerSourceCommands } from "./commands/source";
import { registerVerifyCommand } from "./commands/verify";

/** The registration functions of every command group, in the order `dxl --help` lists them. */
const COMMAND_GROUPS: ((program: Command) => void)[] = [
  registerDeployCommand,
  registerOrgCommands,
  registerMemberCommands,
  registerSourceCommands,
  registerAttestCommand,
  registerRequestCommand,
  registerRelayCommand,
  registerGrantCommands,
  registerDeliveryCommands,
  registerVerifyCommand,
  (program) => registerEvidenceCommands(program),
  registerIndexerCommands,
];

/**
 * The `dxl` program. Usage errors are written as one line `dxl: …` to stderr and thrown as commander errors
 * (exit code 2); `main.ts` reports every other failure.
 */
export function createProgram(): Command {
  const program = new Command("dxl")
    // `dxl evidence verify` takes its own --rpc-url: options after a subcommand belong to it.
    .enablePositionalOptions()
    .description("dxl, the Data Exchange Ledger: attest data, request and grant access, record deliveries")
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`dxl: ${message.replace(/^error: /, "")}`) });
  for (const register of COMMAND_GROUPS) register(program);
  for (const command of allCommands(program)) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}
