/**
 * `dxl …`: runs the program; every failure becomes one line `dxl: …` on stderr and a non-zero exit code (2 for a
 * usage error, 1 otherwise).
 */
import { CommanderError } from "commander";
import { describeFailure } from "./errors";
import { createProgram } from "./program";

async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`dxl: ${describeFailure(error)}\n`);
    if (process.env.DXL_DEBUG === "1") console.error(error);
    return 1;
  }
}

void main(process.argv).then((code) => process.exit(code));
