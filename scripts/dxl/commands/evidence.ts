/**
 * `dxl evidence`: build the evidence bundle of a case or a request from the chain, and verify a bundle offline or
 * against a node (issue 5). The library is `scripts/lib/evidence`.
 *
 *   dxl evidence <caseRef|requestId> --out bundle.json [--rpc-url URL] [--deployments DIR] [--package delivery.json …]
 *   dxl evidence verify bundle.json [--rpc-url URL]
 */
import fs from "node:fs";
import { isHexString } from "ethers";
import type { JsonRpcProvider } from "ethers";
import type { Command } from "commander";
import { caseRefOf } from "../../lib/access-request";
import { deploymentPath, DeploymentError, readDeployment } from "../../lib/deployment";
import {
  buildEvidenceBundle,
  DeliveryPackageError,
  EvidenceError,
  EvidenceSubjectNotFoundError,
  failedChecks,
  parseDeliveryPackage,
  verifyEvidenceBundle,
} from "../../lib/evidence";
import type { DeliveryPackage, EvidenceBundle, EvidenceCheck, EvidenceSubject } from "../../lib/evidence";
import { connectProvider, SignerConfigError } from "../../lib/signer";

const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** Where the commands write and how they fail: the process's streams and exit code, or a test's. */
export interface CommandOutput {
  out(line: string): void;
  error(line: string): void;
  setExitCode(code: number): void;
}

const PROCESS_OUTPUT: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
  setExitCode: (code) => (process.exitCode = code),
};

/** Thrown for a bundle or package file that cannot be read or written. */
class EvidenceFileError extends Error {
  override name = "EvidenceFileError";
}

/** Errors whose message is the whole story for the user: one line, exit code 1, no stack. */
const USER_ERRORS = [DeliveryPackageError, DeploymentError, EvidenceError, SignerConfigError, EvidenceFileError];

interface BuildOptions {
  out: string;
  rpcUrl?: string;
  deployments?: string;
  package?: string[];
}

/** Adds `evidence` and `evidence verify` to the `dxl` program. */
export function registerEvidenceCommands(program: Command, output: CommandOutput = PROCESS_OUTPUT): void {
  const evidence = program
    .command("evidence")
    .description("build the evidence bundle of a case or a request from the chain")
    // With positional options on the program, `evidence verify … --rpc-url` then reaches verify itself.
    .enablePositionalOptions()
    .argument("<subject>", "a case number (hashed as keccak256 of case:<number>), a 0x caseRef, or a request id")
    // Not a commander requiredOption: commander 8 would demand it of `evidence verify` too.
    .option("--out <file>", "where to write the bundle (JSON); required")
    .option("--rpc-url <url>", `JSON-RPC URL of a node (default: DXL_RPC_URL or ${DEFAULT_RPC_URL})`)
    .option("--deployments <dir>", "folder of deployment records (default: DXL_DEPLOYMENTS_DIR or deployments/)")
    .option("--package <files...>", "delivery packages whose records the bundle proves")
    .action((subject: string, options: Partial<BuildOptions>) => {
      if (!options.out) return usageError(output, "the --out <file> option is required");
      return reportingErrors(output, () => buildCommand(subject, options as BuildOptions, output));
    });
  evidence
    .command("verify")
    .description("verify an evidence bundle offline, and against a node with --rpc-url")
    .argument("<bundle>", "the bundle file (JSON)")
    .option("--rpc-url <url>", "JSON-RPC URL of a node of the bundle's chain: also check blocks and receipts there")
    .action((file: string, options: { rpcUrl?: string }, command: Command) => {
      // Unless the program parses options positionally, `evidence` takes `--rpc-url` before `verify` sees it.
      const rpcUrl = options.rpcUrl ?? (command.parent?.opts().rpcUrl as string | undefined);
      return reportingErrors(output, () => verifyCommand(file, { rpcUrl }, output));
    });
}

async function buildCommand(subject: string, options: BuildOptions, output: CommandOutput): Promise<void> {
  const deliveryPackages = (options.package ?? []).map(readDeliveryPackage);
  await withProvider(options.rpcUrl ?? process.env.DXL_RPC_URL ?? DEFAULT_RPC_URL, async (provider) => {
    const chainId = Number((await provider.getNetwork()).chainId);
    const file = deploymentPath(chainId, options.deployments);
    const deployment = readDeployment(file);
    if (!deployment) throw new DeploymentError(`no deployment record for chain ${chainId} at ${file}`);
    const bundle = await buildForSubject(subject, (candidate) =>
      buildEvidenceBundle({ provider, deployment, subject: candidate, deliveryPackages }),
    );
    writeFile(options.out, `${JSON.stringify(bundle, null, 2)}\n`);
    output.out(
      `wrote ${options.out}: ${bundle.requests.length} request(s), ${Object.keys(bundle.transactions).length} ` +
        `transaction(s), ${bundle.deliveryPackages.length} delivery package(s)`,
    );
  });
}

/**
 * Builds for `subject` as given: text is a case reference, hashed to its caseRef; a 0x 32-byte value is tried as
 * a request id first, then as a caseRef.
 */
async function buildForSubject(
  subject: string,
  build: (candidate: EvidenceSubject) => Promise<EvidenceBundle>,
): Promise<EvidenceBundle> {
  if (!isHexString(subject, 32)) return build({ caseRef: caseRefOf(subject) });
  const hash = subject.toLowerCase();
  try {
    return await build({ requestId: hash });
  } catch (error) {
    if (!(error instanceof EvidenceSubjectNotFoundError)) throw error;
    return build({ caseRef: hash });
  }
}

async function verifyCommand(file: string, options: { rpcUrl?: string }, output: CommandOutput): Promise<void> {
  const bundle = readJson(file, "evidence bundle") as EvidenceBundle;
  const verify = (provider?: JsonRpcProvider) => verifyEvidenceBundle(bundle, { provider });
  const checks = options.rpcUrl ? await withProvider(options.rpcUrl, verify) : await verify();
  checks.forEach((result) => output.out(checkLine(result)));
  const failures = failedChecks(checks);
  const skipped = checks.filter((result) => result.status === "skipped").length;
  output.out(
    `${checks.length} checks: ${checks.length - failures.length - skipped} passed, ${failures.length} failed, ${skipped} skipped`,
  );
  if (failures.length > 0) output.setExitCode(1);
}

function checkLine(result: EvidenceCheck): string {
  if (result.status === "passed") return `ok      ${result.name}`;
  if (result.status === "skipped") return `skipped ${result.name} (${result.reason})`;
  return `FAILED  ${result.name}: ${result.reason}`;
}

async function withProvider<T>(url: string, use: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
  const provider = await connectProvider(url);
  try {
    return await use(provider);
  } finally {
    provider.destroy();
  }
}

function readDeliveryPackage(file: string): DeliveryPackage {
  return parseDeliveryPackage(readText(file, "delivery package"), file);
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readText(file, what));
  } catch (error) {
    if (error instanceof EvidenceFileError) throw error;
    throw new EvidenceFileError(`the ${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new EvidenceFileError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

function writeFile(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new EvidenceFileError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/** A command line the command cannot run: one line, exit code 2. */
function usageError(output: CommandOutput, message: string): void {
  output.error(`dxl evidence: ${message}`);
  output.setExitCode(2);
}

/** Runs a command; a user error becomes one line on stderr and exit code 1, anything else propagates. */
async function reportingErrors(output: CommandOutput, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!USER_ERRORS.some((kind) => error instanceof kind)) throw error;
    output.error(`dxl evidence: ${(error as Error).message}`);
    output.setExitCode(1);
  }
}
