import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { encryptKeystoreJson, Wallet } from "ethers";
import { verifyProofsFile } from "../../../scripts/lib/merkle";
import { deployOnNode, driveEveryEvent } from "../../helpers/activity";
import type { Activity, Deployment } from "../../helpers/activity";
import { devKey, runDxl } from "../../helpers/dxl";
import { recordDigest, recordTree } from "../../helpers/merkle";
import { startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";

/** Dev account indexes of the actors `driveEveryEvent` sets up (see test/helpers/activity.ts). */
const TELECOM_STEWARD = 2;
const INVESTIGATOR = 6;
/** The call-records source's chain ends here after `driveEveryEvent`: a new batch may not start earlier. */
const PERIOD_START = "1704240000";
const PERIOD_END = "1704326400";

const CALLS_CSV = [
  "msisdn,callee,duration",
  "+8613800000001,+8613900000001,61",
  "+8613800000002,+8613900000002,5",
  '+8613800000003,"+86139, ""ext"" 3",12',
];

describe("dxl attest", function () {
  let chain: NodeProcess;
  let deployment: Deployment;
  let activity: Activity;
  let directory: string;

  before(async function () {
    chain = await startHardhatNode();
    deployment = await deployOnNode(chain.url);
    activity = await driveEveryEvent(deployment);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-attest-"));
  });

  after(async function () {
    deployment?.provider.destroy();
    await chain?.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  /** Writes `lines` to a file of the test folder. */
  function batchFile(name: string, lines: string[]): string {
    const file = path.join(directory, name);
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    return file;
  }

  /** Runs `dxl attest file` for the call-records source as dev account `signer`. */
  function attest(file: string, signer = TELECOM_STEWARD, extra: string[] = [], deploymentsFile?: string) {
    return runDxl(
      [
        "attest",
        file,
        "--source",
        activity.sources.callRecords,
        "--period-start",
        PERIOD_START,
        "--period-end",
        PERIOD_END,
        "--deployments",
        deploymentsFile ?? deployment.deploymentsFile,
        ...extra,
      ],
      { DXL_RPC_URL: chain.url, DXL_PRIVATE_KEY: devKey(signer) },
    );
  }

  /** What must not move when dxl refuses: the signer's nonce and the number of attestations. */
  async function chainState(signer = TELECOM_STEWARD) {
    const account = new Wallet(devKey(signer)).address;
    return {
      nonce: await deployment.provider.getTransactionCount(account),
      attestations: await deployment.suite.attestations.attestationCount(),
    };
  }

  it("reports every malformed CSV line by its number, in one line, and submits nothing", async function () {
    const file = batchFile("broken.csv", [
      ...CALLS_CSV,
      "+8613800000004,+8613900000004",
      '+8613800000005,"+8613900000005,7',
      "+8613800000006,+8613900000006,30",
    ]);
    const before = await chainState();
    const run = await attest(file);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal(
      `dxl: ${file}: 2 malformed lines, nothing submitted: line 5: expected 3 fields, found 2; ` +
        "line 6: a quoted field opened at column 16 does not close on its line\n",
    );
    expect(await chainState()).to.deep.equal(before);
    expect(fs.existsSync(path.join(directory, "broken.proofs.ndjson"))).to.equal(false);
  });

  it("reports malformed NDJSON lines (not JSON, not an object) and submits nothing", async function () {
    const file = batchFile("broken.ndjson", ['{"msisdn":"1"}', "", '{"msisdn":', "[1,2]", '{"msisdn":"2"}']);
    const before = await chainState();
    const run = await attest(file);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^dxl: .*broken\.ndjson: 2 malformed lines, nothing submitted: line 3: not JSON/);
    expect(run.stderr).to.contain("line 4: a record must be a JSON object\n");
    expect(await chainState()).to.deep.equal(before);
  });

  it("refuses a signer without the DATA_STEWARD role by its decoded error, and submits nothing", async function () {
    const file = batchFile("calls-by-investigator.csv", CALLS_CSV);
    const before = await chainState(INVESTIGATOR);
    const run = await attest(file, INVESTIGATOR);
    const investigator = new Wallet(devKey(INVESTIGATOR)).address;
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal(
      `dxl: attest would revert: MemberMissingRole(${investigator}, 1): ${investigator} does not hold the ` +
        "DATA_STEWARD role in an active organization\n",
    );
    expect(await chainState(INVESTIGATOR)).to.deep.equal(before);
  });

  it("refuses a deployment record of another chain, and submits nothing", async function () {
    const otherChain = path.join(directory, "1337.json");
    fs.writeFileSync(otherChain, JSON.stringify({ ...deployment.record, chainId: 1337 }));
    const before = await chainState();
    const run = await attest(batchFile("calls-elsewhere.csv", CALLS_CSV), TELECOM_STEWARD, [], otherChain);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal("dxl: wrong network: the node is chain 31337, the deployment is chain 1337\n");
    expect(await chainState()).to.deep.equal(before);
  });

  it("attests a CSV batch with the root StandardMerkleTree gives, and writes its proofs and dump", async function () {
    const file = batchFile("calls.csv", CALLS_CSV);
    const run = await attest(file, TELECOM_STEWARD, ["--json"]);
    expect(run.code, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout) as { attestationId: string; merkleRoot: string; proofsFile: string };

    const records = [
      { msisdn: "+8613800000001", callee: "+8613900000001", duration: "61" },
      { msisdn: "+8613800000002", callee: "+8613900000002", duration: "5" },
      { msisdn: "+8613800000003", callee: '+86139, "ext" 3', duration: "12" },
    ];
    const expectedRoot = recordTree(records.map(recordDigest)).root;
    expect(result.merkleRoot).to.equal(expectedRoot);
    const stored = await deployment.suite.attestations.getAttestation(BigInt(result.attestationId));
    expect(stored.merkleRoot).to.equal(expectedRoot);
    expect(stored.recordCount).to.equal(3n);
    expect([stored.periodStart, stored.periodEnd]).to.deep.equal([BigInt(PERIOD_START), BigInt(PERIOD_END)]);

    const { verifiedRecords } = await verifyProofsFile(path.join(directory, "calls.proofs.ndjson"));
    expect(verifiedRecords).to.equal(3);
    const dump = JSON.parse(fs.readFileSync(path.join(directory, "calls.tree.json"), "utf8"));
    expect(StandardMerkleTree.load(dump).root).to.equal(expectedRoot);
  });

  describe("keys from a keystore", function () {
    const password = "correct horse battery staple";
    let keystoreFile: string;

    before(async function () {
      keystoreFile = path.join(directory, "steward.keystore.json");
      const steward = new Wallet(devKey(TELECOM_STEWARD));
      fs.writeFileSync(keystoreFile, await encryptKeystoreJson(steward, password, { scrypt: { N: 1024 } }));
    });

    it("never prints the keystore password, right or wrong", async function () {
      const file = batchFile("calls-keystore.csv", CALLS_CSV.slice(0, 2));
      const options = ["--keystore", keystoreFile, "--period-start", PERIOD_END, "--period-end", PERIOD_END];
      const args = [
        "attest",
        file,
        "--source",
        activity.sources.callRecords,
        "--deployments",
        deployment.deploymentsFile,
      ];
      const wrong = await runDxl([...args, ...options], {
        DXL_RPC_URL: chain.url,
        DXL_KEYSTORE_PASSWORD: "hunter2-wrong",
      });
      expect(wrong.code).to.equal(1);
      expect(wrong.stderr).to.equal(
        `dxl: cannot decrypt the keystore ${keystoreFile}: wrong password or not a JSON keystore\n`,
      );
      expect(wrong.stdout + wrong.stderr).to.not.contain("hunter2");

      const right = await runDxl([...args, ...options], { DXL_RPC_URL: chain.url, DXL_KEYSTORE_PASSWORD: password });
      expect(right.code, right.stderr).to.equal(0);
      expect(right.stdout).to.match(/^attestation \d+: 1 records, root 0x[0-9a-f]{64}/);
      expect(right.stdout + right.stderr).to.not.contain(password);
    });
  });
});
