import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { ethers } from "hardhat";
import { encryptKeystoreJson, HDNodeWallet, JsonRpcProvider, Wallet } from "ethers";
import {
  connectSuite,
  deploySuite,
  DeploymentError,
  readDeployment,
  SUITE_CONTRACTS,
} from "../../scripts/lib/deployment";
import type { DeploymentRecord } from "../../scripts/lib/deployment";
import { connectProvider, loadSigner, SignerConfigError } from "../../scripts/lib/signer";
import { freePort, REPOSITORY_ROOT, startHardhatNode } from "../helpers/node";
import type { NodeProcess } from "../helpers/node";

const run = promisify(execFile);
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The n-th account of the development mnemonic every local node funds. */
function devAccount(index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
}

async function runDeploy(env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      path.join(REPOSITORY_ROOT, "node_modules/.bin/hardhat"),
      ["run", "scripts/deploy.ts"],
      {
        cwd: REPOSITORY_ROOT,
        env: { ...process.env, DXL_PRIVATE_KEY: "", DXL_KEYSTORE: "", ...env },
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

describe("deployment script", function () {
  this.timeout(180_000);
  let node: NodeProcess;
  let directory: string;
  let provider: JsonRpcProvider;
  const deployerKey = devAccount(0).privateKey;

  before(async () => {
    node = await startHardhatNode();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-deployments-"));
  });

  after(async () => {
    provider.destroy();
    await node.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  describe("on a real JSON-RPC node", () => {
    const governance = devAccount(7).address;
    let record: DeploymentRecord;

    it("deploys the suite, records it, and starts the governance handover", async () => {
      const { code, output } = await runDeploy({
        DXL_RPC_URL: node.url,
        DXL_PRIVATE_KEY: deployerKey,
        DXL_DEPLOYMENTS_DIR: directory,
        DXL_GOVERNANCE: governance,
        DXL_ADMIN_TRANSFER_DELAY: "600",
      });
      expect(code, output).to.equal(0);
      expect(output).to.not.contain(deployerKey.slice(2));

      record = readDeployment(path.join(directory, "31337.json"))!;
      expect(record.chainId).to.equal(31337);
      expect(record.deployer).to.equal(devAccount(0).address);
      expect(record.adminTransferDelaySeconds).to.equal(600);
      expect(record.governance).to.deep.equal({ current: devAccount(0).address, pending: governance });
      expect(Object.keys(record.contracts)).to.deep.equal([...SUITE_CONTRACTS]);
      for (const entry of Object.values(record.contracts)) {
        expect(await provider.getCode(entry.address)).to.not.equal("0x");
        expect(entry.version).to.equal("1.0.0");
      }
      expect(record.startBlock).to.equal(record.contracts.Consortium!.blockNumber);

      const suite = connectSuite(record, provider);
      const [pendingAdmin] = await suite.consortium.pendingDefaultAdmin();
      expect(pendingAdmin).to.equal(governance);
      const pauserRole = await suite.consortium.PAUSER_ROLE();
      expect(await suite.consortium.hasRole(pauserRole, governance)).to.equal(true);
      expect(await suite.consortium.hasRole(pauserRole, devAccount(0).address)).to.equal(false);
      expect(await suite.accessGrants.consortium()).to.equal(record.contracts.Consortium!.address);
      expect(await suite.attestations.dataSources()).to.equal(record.contracts.DataSourceRegistry!.address);
      expect(await suite.accessGrants.attestations()).to.equal(record.contracts.AttestationRegistry!.address);
    });

    it("reuses the recorded deployment on a second run without sending a transaction", async () => {
      const blockBefore = await provider.getBlockNumber();
      const { code, output } = await runDeploy({
        DXL_RPC_URL: node.url,
        DXL_PRIVATE_KEY: deployerKey,
        DXL_DEPLOYMENTS_DIR: directory,
        DXL_GOVERNANCE: governance,
      });
      expect(code, output).to.equal(0);
      expect(await provider.getBlockNumber()).to.equal(blockBefore);
      expect(readDeployment(path.join(directory, "31337.json"))).to.deep.equal(record);
    });

    it("fails with one line naming a malformed key, without printing it", async () => {
      const badKey = "0x1234deadbeef";
      const { code, output } = await runDeploy({
        DXL_RPC_URL: node.url,
        DXL_PRIVATE_KEY: badKey,
        DXL_DEPLOYMENTS_DIR: directory,
      });
      expect(code).to.not.equal(0);
      expect(output).to.contain("deploy failed: DXL_PRIVATE_KEY is not a 32-byte hexadecimal private key");
      expect(output).to.not.contain("deadbeef");
    });
  });

  describe("deploySuite", () => {
    it("resumes an interrupted deployment, keeping what the record holds", async () => {
      const [deployer] = await ethers.getSigners();
      const first = await deploySuite(deployer, { adminTransferDelaySeconds: 60 });
      const partial: DeploymentRecord = {
        ...first.record,
        contracts: { Consortium: first.record.contracts.Consortium },
      };
      const progress: string[][] = [];
      const resumed = await deploySuite(deployer, {
        adminTransferDelaySeconds: 60,
        existing: structuredClone(partial),
        onProgress: (record) => progress.push(Object.keys(record.contracts)),
      });
      expect(resumed.record.contracts.Consortium).to.deep.equal(first.record.contracts.Consortium);
      expect(resumed.record.contracts.AccessGrants!.address).to.not.equal(first.record.contracts.AccessGrants!.address);
      expect(progress.map((names) => names.length)).to.deep.equal([2, 3, 4]);
      expect(await resumed.suite.accessGrants.consortium()).to.equal(first.record.contracts.Consortium!.address);
    });

    it("refuses a record of another chain", async () => {
      const [deployer] = await ethers.getSigners();
      const { record } = await deploySuite(deployer, { adminTransferDelaySeconds: 60 });
      await expect(
        deploySuite(deployer, { adminTransferDelaySeconds: 60, existing: { ...record, chainId: 1 } }),
      ).to.be.rejectedWith(DeploymentError, "the deployment record is for chain 1, but the node reports chain 31337");
    });

    it("refuses a record whose contracts have no code on the chain", async () => {
      const [deployer, stranger] = await ethers.getSigners();
      const { record } = await deploySuite(deployer, { adminTransferDelaySeconds: 60 });
      const stale = {
        ...record,
        contracts: { ...record.contracts, Consortium: { ...record.contracts.Consortium!, address: stranger.address } },
      };
      await expect(deploySuite(deployer, { adminTransferDelaySeconds: 60, existing: stale })).to.be.rejectedWith(
        DeploymentError,
        `Consortium is recorded at ${stranger.address} on chain 31337, but the node has no code there`,
      );
    });

    it("refuses a deployment file that is not JSON", () => {
      const file = path.join(os.tmpdir(), `dxl-broken-${process.pid}.json`);
      fs.writeFileSync(file, "{ not json");
      expect(() => readDeployment(file)).to.throw(DeploymentError, `${file} is not valid JSON`);
      fs.rmSync(file);
    });
  });

  describe("keys and network", () => {
    const keystorePassword = "correct horse battery staple";
    let keystoreFile: string;
    let wallet: Wallet;

    before(async () => {
      wallet = new Wallet(devAccount(3).privateKey);
      keystoreFile = path.join(directory, "keystore.json");
      fs.writeFileSync(keystoreFile, await encryptKeystoreJson(wallet, keystorePassword, { scrypt: { N: 1024 } }));
    });

    it("unlocks an encrypted JSON keystore", async () => {
      const signer = await loadSigner({ keystorePath: keystoreFile, keystorePassword }, provider);
      expect(signer.address).to.equal(wallet.address);
    });

    it("names the keystore, never the password, when the password is wrong", async () => {
      const attempt = loadSigner({ keystorePath: keystoreFile, keystorePassword: "hunter2" }, provider);
      await expect(attempt).to.be.rejectedWith(SignerConfigError, `cannot decrypt the keystore ${keystoreFile}`);
      await attempt.catch((error: Error) => expect(error.message).to.not.contain("hunter2"));
    });

    it("requires a password for a keystore, and exactly one key source", async () => {
      await expect(loadSigner({ keystorePath: keystoreFile }, provider)).to.be.rejectedWith(
        SignerConfigError,
        "DXL_KEYSTORE_PASSWORD is not set",
      );
      await expect(
        loadSigner({ keystorePath: keystoreFile, privateKey: Wallet.createRandom().privateKey }, provider),
      ).to.be.rejectedWith(SignerConfigError, "set either DXL_PRIVATE_KEY or DXL_KEYSTORE, not both");
      await expect(loadSigner({}, provider)).to.be.rejectedWith(SignerConfigError, "no signing key");
      await expect(
        loadSigner({ keystorePath: "/nonexistent/keystore.json", keystorePassword }, provider),
      ).to.be.rejectedWith(SignerConfigError, "cannot read the keystore file /nonexistent/keystore.json");
    });

    it("names an unreachable or malformed RPC URL", async () => {
      const url = `http://127.0.0.1:${await freePort()}`;
      await expect(connectProvider(url)).to.be.rejectedWith(
        SignerConfigError,
        `cannot reach the JSON-RPC node at DXL_RPC_URL ${url}`,
      );
      await expect(connectProvider("not a url")).to.be.rejectedWith(SignerConfigError, "DXL_RPC_URL is not a URL");
      await expect(connectProvider("ws://127.0.0.1:1")).to.be.rejectedWith(
        SignerConfigError,
        "DXL_RPC_URL must be http(s)",
      );
    });
  });
});
