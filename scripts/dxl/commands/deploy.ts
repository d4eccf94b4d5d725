/** `dxl deploy`: deploys and records the suite with the deployment library, as `scripts/deploy.ts` does. */
import type { Command } from "commander";
import {
  DEFAULT_ADMIN_TRANSFER_DELAY_SECONDS,
  deploySuite,
  readDeployment,
  writeDeployment,
} from "../../lib/deployment";
import { connectNetwork, deploymentFileFor, unlockSigner, withSignerOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { createOutput } from "../output";
import { parseAddress, wholeNumber } from "../parse";

interface DeployOptions extends ConnectionOptions {
  governance?: string;
  adminTransferDelay: bigint;
  redeploy?: boolean;
}

/** Registers `dxl deploy`. */
export function registerDeployCommand(program: Command): void {
  withSignerOptions(
    program
      .command("deploy")
      .description("deploy the contract suite (or finish an interrupted deployment) and record it")
      .option("--governance <address>", "address to hand governance to; it accepts after the delay", parseAddress)
      .option(
        "--admin-transfer-delay <seconds>",
        "seconds between the two steps of a governance handover",
        wholeNumber(48),
        BigInt(DEFAULT_ADMIN_TRANSFER_DELAY_SECONDS),
      )
      .option("--redeploy", "ignore an existing record and deploy anew"),
  ).action(deploy);
}

async function deploy(options: DeployOptions): Promise<void> {
  const output = createOutput(Boolean(options.json));
  const network = await connectNetwork(options);
  const signer = await unlockSigner(network, options);
  const file = deploymentFileFor(network.chainId, options);
  const existing = options.redeploy ? undefined : readDeployment(file);
  const { record } = await deploySuite(signer, {
    adminTransferDelaySeconds: Number(options.adminTransferDelay),
    governance: options.governance,
    existing,
    onProgress: (progress) => writeDeployment(file, progress),
  });
  const lines = Object.entries(record.contracts).map(
    ([name, entry]) => `${name.padEnd(20)} ${entry.address}  v${entry.version}  block ${entry.blockNumber}`,
  );
  lines.push(`chain ${record.chainId}, start block ${record.startBlock}, governance ${record.governance.current}`);
  if (record.governance.pending) lines.push(`governance handover pending to ${record.governance.pending}`);
  lines.push(`recorded in ${file}`);
  output.result({ deploymentFile: file, ...record }, lines);
}
