/**
 * Deploys the dxl contract suite and records it in deployments/<chainId>.json.
 *
 *   npx hardhat run scripts/deploy.ts --network localhost          # a local node, its first account
 *   DXL_RPC_URL=… DXL_PRIVATE_KEY=… npx hardhat run scripts/deploy.ts   # any node, a key or keystore
 *
 * Settings (environment): DXL_RPC_URL, DXL_PRIVATE_KEY or DXL_KEYSTORE + DXL_KEYSTORE_PASSWORD,
 * DXL_GOVERNANCE (address to hand governance to), DXL_ADMIN_TRANSFER_DELAY (seconds, default 86400),
 * DXL_REDEPLOY=1 (ignore the existing record and deploy anew), DXL_DEPLOYMENTS_DIR (default deployments/).
 */
import hre from "hardhat";
import { isAddress } from "ethers";
import type { Signer } from "ethers";
import {
  DEFAULT_ADMIN_TRANSFER_DELAY_SECONDS,
  DeploymentError,
  deploySuite,
  deploymentPath,
  readDeployment,
  writeDeployment,
} from "./lib/deployment";
import { connectProvider, keySourceFromEnv, loadSigner } from "./lib/signer";

interface DeployConfig {
  rpcUrl?: string;
  governance?: string;
  adminTransferDelaySeconds: number;
  redeploy: boolean;
}

function readDeployConfig(env: NodeJS.ProcessEnv): DeployConfig {
  const governance = env.DXL_GOVERNANCE || undefined;
  if (governance !== undefined && !isAddress(governance)) {
    throw new DeploymentError(`DXL_GOVERNANCE is not an address: ${governance}`);
  }
  const delayText = env.DXL_ADMIN_TRANSFER_DELAY ?? String(DEFAULT_ADMIN_TRANSFER_DELAY_SECONDS);
  const adminTransferDelaySeconds = Number(delayText);
  if (!/^\d+$/.test(delayText) || adminTransferDelaySeconds >= 2 ** 48) {
    throw new DeploymentError(`DXL_ADMIN_TRANSFER_DELAY must be a whole number of seconds: ${delayText}`);
  }
  return {
    rpcUrl: env.DXL_RPC_URL || undefined,
    governance,
    adminTransferDelaySeconds,
    redeploy: env.DXL_REDEPLOY === "1",
  };
}

async function deployer(config: DeployConfig): Promise<Signer> {
  if (config.rpcUrl) return loadSigner(keySourceFromEnv(), await connectProvider(config.rpcUrl));
  const [first] = await hre.ethers.getSigners();
  return first;
}

async function main(): Promise<void> {
  const config = readDeployConfig(process.env);
  const signer = await deployer(config);
  const chainId = Number((await signer.provider!.getNetwork()).chainId);
  const file = deploymentPath(chainId);
  // The in-process Hardhat network vanishes with this process: there is nothing worth recording.
  const persistent = Boolean(config.rpcUrl) || hre.network.name !== "hardhat";
  const existing = persistent && !config.redeploy ? readDeployment(file) : undefined;
  const { record } = await deploySuite(signer, {
    adminTransferDelaySeconds: config.adminTransferDelaySeconds,
    governance: config.governance,
    existing,
    onProgress: persistent ? (progress) => writeDeployment(file, progress) : undefined,
  });

  console.table(
    Object.entries(record.contracts).map(([name, entry]) => ({
      contract: name,
      address: entry.address,
      version: entry.version,
      block: entry.blockNumber,
      reused: existing?.contracts[name as keyof typeof existing.contracts] !== undefined,
    })),
  );
  const pending = record.governance.pending ? `, handover pending to ${record.governance.pending}` : "";
  console.log(`chain ${chainId}, start block ${record.startBlock}, governance ${record.governance.current}${pending}`);
  console.log(persistent ? `recorded in ${file}` : "in-process Hardhat network: nothing recorded");
}

main().catch((error: Error) => {
  console.error(`deploy failed: ${error.message}`);
  process.exitCode = 1;
});
