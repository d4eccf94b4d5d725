import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { parseSignedRequest, signAccessRequest, signedRequestJson } from "../../../scripts/lib/access-request";
import { connectSuite, readDeployment } from "../../../scripts/lib/deployment";
import type { Suite } from "../../../scripts/lib/deployment";
import { RequestStatus } from "../../../scripts/lib/suite-values";
import { devKey, runDxl, runDxlJson, spawnDxl } from "../../helpers/dxl";
import { startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";

/** The dev accounts of this scenario. */
const ACCOUNT = {
  governance: 0,
  telecomAdmin: 1,
  steward: 2,
  bureauAdmin: 3,
  investigator: 4,
  supervisor: 5,
  relayer: 6,
} as const;
type Actor = keyof typeof ACCOUNT;

const address = (actor: Actor) => new Wallet(devKey(ACCOUNT[actor])).address;

const CALLS = [
  { msisdn: "+8613800000001", callee: "+8613900000001", duration: 61, timestamp: "2024-01-01T08:00:00Z" },
  { msisdn: "+8613800000002", callee: "+8613900000002", duration: 5, timestamp: "2024-01-02T09:30:00Z" },
  { msisdn: "+8613800000001", callee: "+8613900000003", duration: 12, timestamp: "2024-01-03T10:15:00Z" },
  { msisdn: "+8613800000004", callee: "+8613900000004", duration: 30, timestamp: "2024-01-04T11:45:00Z" },
];

/** POSTs `body` (a file's text) to the relay and returns the status and JSON answer. */
async function post(url: string, body: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** Starts `dxl relay --port 0` and resolves to its URL once it listens. */
async function startRelay(
  env: NodeJS.ProcessEnv,
  deployments: string,
): Promise<{ url: string; process: ChildProcessWithoutNullStreams }> {
  const relay = spawnDxl(["relay", "--port", "0", "--deployments", deployments], env);
  let stdout = "";
  let stderr = "";
  relay.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    relay.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /relay listening on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    relay.once("close", (code) => reject(new Error(`the relay exited with ${code}: ${stderr}`)));
  });
  return { url, process: relay };
}

describe("dxl: a case from deployment to verified delivery", function () {
  let chain: NodeProcess;
  let directory: string;
  let deployments: string;
  let provider: JsonRpcProvider;
  let suite: Suite;
  let relay: ChildProcessWithoutNullStreams | undefined;
  const ids: Record<string, string> = {};

  before(async function () {
    chain = await startHardhatNode();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-workflow-"));
    deployments = path.join(directory, "deployments");
    provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
  });

  after(async function () {
    relay?.kill("SIGTERM");
    provider?.destroy();
    await chain?.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const envOf = (actor: Actor): NodeJS.ProcessEnv => ({
    DXL_RPC_URL: chain.url,
    DXL_DEPLOYMENTS_DIR: deployments,
    DXL_PRIVATE_KEY: devKey(ACCOUNT[actor]),
  });
  const dxl = (actor: Actor, ...args: string[]) => runDxlJson(args, envOf(actor));
  const file = (name: string, content: string) => {
    const target = path.join(directory, name);
    fs.writeFileSync(target, content);
    return target;
  };

  it("deploys the suite and records it", async function () {
    const result = await dxl("governance", "deploy", "--admin-transfer-delay", "600");
    const record = readDeployment(path.join(deployments, "31337.json"))!;
    expect(result.deploymentFile).to.equal(path.join(deployments, "31337.json"));
    expect(record.adminTransferDelaySeconds).to.equal(600);
    suite = connectSuite(record, provider);
    expect(await suite.consortium.isGovernance(address("governance"))).to.equal(true);
  });

  it("registers organizations, members and a sensitive source", async function () {
    const addOrganization = (kind: string, name: string, admin: Actor) =>
      dxl("governance", ...["org", "add", "--kind", kind, "--name", name, "--admin", address(admin)]);
    const addMember = (admin: Actor, member: Actor, organizationId: string, roles: string) =>
      dxl(admin, ...["member", "add", address(member), "--org", organizationId, "--roles", roles]);
    const telecom = await addOrganization("TELECOM", "Metro Telecom", "telecomAdmin");
    const bureau = await addOrganization("public_security", "Bureau", "bureauAdmin");
    expect([telecom.organizationId, bureau.organizationId]).to.deep.equal(["1", "2"]);

    const schema = file("calls.schema.json", JSON.stringify({ $id: "https://schemas.example/calls/v1" }));
    const registerSource = () =>
      dxl("steward", ...["source", "register", "--name", "call-records", "--schema", schema, "--sensitivity", "2"]);
    const [source, roles] = await Promise.all([
      addMember("telecomAdmin", "steward", "1", "DATA_STEWARD").then(registerSource),
      addMember("bureauAdmin", "investigator", "2", "INVESTIGATOR")
        .then(() => addMember("bureauAdmin", "supervisor", "2", "INVESTIGATOR,SUPERVISOR"))
        .then(() => dxl("bureauAdmin", "member", "roles", address("supervisor"), "--roles", "SUPERVISOR")),
    ]);
    expect(roles.roles).to.deep.equal(["SUPERVISOR"]);
    ids.source = source.sourceId as string;
    expect(source.schemaUri).to.equal("https://schemas.example/calls/v1");
    expect(source.endorsementRequired).to.equal(true);
    expect((await suite.dataSources.getSource(ids.source)).organizationId).to.equal(1n);
  });

  it("attests an NDJSON batch, its period taken from the records", async function () {
    const batch = file("calls.ndjson", CALLS.map((call) => JSON.stringify(call)).join("\n"));
    const result = await dxl("steward", "attest", batch, "--source", ids.source);
    ids.attestation = result.attestationId as string;
    ids.root = result.merkleRoot as string;
    ids.proofs = result.proofsFile as string;
    expect([result.periodStart, result.periodEnd]).to.deep.equal(["1704096000", "1704368700"]);
  });

  it("signs a request to a file, which the relay checks and submits; a tampered copy is refused", async function () {
    const out = path.join(directory, "request.json");
    const signed = await dxl(
      "investigator",
      ...["request", "--source", ids.source, "--case", "2024-HZ-0117", "--scope", "msisdn=+8613800000001"],
      ...["--purpose", "1", "--max-deliveries", "2", "--out", out],
    );
    ids.request = signed.requestId as string;
    expect(await suite.accessGrants.nonces(address("investigator"))).to.equal(0n);

    const started = await startRelay(envOf("relayer"), path.join(deployments, "31337.json"));
    relay = started.process;
    const document = JSON.parse(fs.readFileSync(out, "utf8"));
    const tampered = { ...document, request: { ...document.request, maxDeliveries: "50" } };
    const refused = await post(`${started.url}/requests`, JSON.stringify(tampered));
    expect(refused.status).to.equal(401);
    expect(refused.body.error).to.match(/^the signature recovers to 0x[0-9a-fA-F]{40}, not to the requester/);
    const notJson = await post(`${started.url}/requests`, "{");
    expect(notJson.status).to.equal(400);
    const elsewhere = await post(
      `${started.url}/requests`,
      JSON.stringify({ ...document, domain: { ...document.domain, chainId: 1 } }),
    );
    expect(elsewhere.status).to.equal(422);
    expect(elsewhere.body.error).to.match(
      /^signed for AccessGrants 0x[0-9a-fA-F]{40} on chain 1; this relay submits to/,
    );

    const { domain } = parseSignedRequest(document);
    const late = { ...parseSignedRequest(document).request, deadline: 1n };
    const lateSignature = await signAccessRequest(new Wallet(devKey(ACCOUNT.investigator)), domain, late);
    const lateDocument = signedRequestJson({ domain, request: late, signature: lateSignature });
    const expired = await post(`${started.url}/requests`, lateDocument);
    expect(expired.status).to.equal(422);
    expect(expired.body.error).to.match(/^the deadline 1 has passed \(the chain is at \d+\)$/);

    const accepted = await post(`${started.url}/requests`, fs.readFileSync(out, "utf8"));
    expect(accepted.status, accepted.body.error).to.equal(201);
    expect(accepted.body.requestId).to.equal(ids.request);
    const again = await post(`${started.url}/requests`, fs.readFileSync(out, "utf8"));
    expect(again).to.deep.equal({
      status: 422,
      body: {
        error: `submitSignedRequest would revert: AccessGrantsRequestAlreadySubmitted(${ids.request})`,
        contractError: `AccessGrantsRequestAlreadySubmitted(${ids.request})`,
      },
    });
    expect((await suite.accessGrants.getGrant(ids.request)).status).to.equal(BigInt(RequestStatus.PENDING));

    const endorsement = path.join(directory, "endorsement.json");
    await dxl("supervisor", "endorse", ids.request, "--out", endorsement);
    const endorsed = await post(`${started.url}/endorsements`, fs.readFileSync(endorsement, "utf8"));
    expect(endorsed.status, endorsed.body.error).to.equal(201);
    expect(endorsed.body.requestId).to.equal(ids.request);
    expect((await suite.accessGrants.getGrant(ids.request)).endorsed).to.equal(true);
  });

  it("approves, and names a second approval's custom error with its arguments", async function () {
    await dxl("steward", "approve", ids.request);
    const twice = await runDxl(["approve", ids.request], envOf("steward"));
    expect(twice.code).to.equal(1);
    expect(twice.stderr).to.equal(`dxl: approve would revert: AccessGrantsUnexpectedStatus(${ids.request}, 2)\n`);
  });

  it("delivers records with their proofs, and the receiver acknowledges", async function () {
    const payload = file("payload.json", JSON.stringify({ records: [CALLS[2], CALLS[0]] }));
    const result = await dxl(
      "steward",
      ...["deliver", payload, "--request", ids.request, "--attestation", ids.attestation, "--proofs", ids.proofs],
    );
    ids.delivery = result.deliveryId as string;
    ids.package = result.out as string;
    const deliveryPackage = JSON.parse(fs.readFileSync(ids.package, "utf8"));
    expect(deliveryPackage.records.map((entry: { index: number }) => entry.index)).to.deep.equal([2, 0]);
    expect(deliveryPackage).to.include({ root: ids.root, requestId: ids.request, attestationId: ids.attestation });

    const ack = await dxl("investigator", "ack", ids.delivery);
    expect(ack.acknowledgement).to.equal("ACCEPTED");
    expect((await suite.accessGrants.getDelivery(BigInt(ids.delivery))).acknowledgement).to.equal(1n);
  });

  it("verifies a delivered record offline and on chain, and rejects an altered one", async function () {
    const record = file("record.json", JSON.stringify(CALLS[2]));
    const offline = await dxl("investigator", "verify", record, "--proof", ids.package, "--root", ids.root);
    expect(offline).to.include({ valid: true, index: 2 });
    const onChain = await dxl(
      "investigator",
      "verify",
      record,
      "--proof",
      ids.proofs,
      "--attestation",
      ids.attestation,
    );
    expect(onChain.verdicts).to.deep.equal([{ against: `attestation ${ids.attestation}`, result: "VALID" }]);

    const proof = JSON.parse(fs.readFileSync(ids.package, "utf8")).records[0].proof;
    const singleProof = file("proof.json", JSON.stringify({ index: 2, proof }));
    const altered = file("altered.json", JSON.stringify({ ...CALLS[2], duration: 13 }));
    const run = await runDxl(["verify", altered, "--proof", singleProof, "--root", ids.root], envOf("investigator"));
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/^INVALID: record 2 \(digest 0x[0-9a-f]{64}\) against root /);
  });

  it("submits requests directly; a supervisor endorses one and the steward rejects it, the requester revokes another", async function () {
    const requestArgs = (caseReference: string) => [
      "request",
      "--source",
      ids.source,
      "--case",
      caseReference,
      "--scope",
      "msisdn=+8613800000002",
      "--purpose",
      "2",
    ];
    const rejected = (await dxl("investigator", ...requestArgs("2024-HZ-0118"))).requestId as string;
    const revoked = (await dxl("investigator", ...requestArgs("2024-HZ-0119"))).requestId as string;
    await Promise.all([
      dxl("supervisor", "endorse", rejected).then(() => dxl("steward", "reject", rejected, "--reason", "3")),
      dxl("investigator", "revoke", revoked, "--reason", "9"),
    ]);
    expect((await suite.accessGrants.getGrant(rejected)).status).to.equal(BigInt(RequestStatus.REJECTED));
    expect((await suite.accessGrants.getGrant(revoked)).status).to.equal(BigInt(RequestStatus.REVOKED));
  });

  it("disputes a second delivery with a reason", async function () {
    const payload = file("payload-2.ndjson", `${JSON.stringify(CALLS[1])}\n`);
    const { deliveryId } = await dxl(
      "steward",
      ...["deliver", payload, "--request", ids.request, "--attestation", ids.attestation, "--proofs", ids.proofs],
    );
    const misuse = await runDxl(["ack", deliveryId as string, "--reason", "4"], envOf("investigator"));
    expect(misuse).to.include({ code: 1, stderr: "dxl: --reason goes with --dispute\n" });
    await dxl("investigator", "ack", deliveryId as string, "--dispute", "--reason", "4");
    expect((await suite.accessGrants.getDelivery(BigInt(deliveryId as string))).acknowledgement).to.equal(2n);
  });

  it("updates a schema, removes a member, suspends and reinstates an organization, and retires the source", async function () {
    const schema = file("calls.v2.schema.json", JSON.stringify({ type: "object", required: ["msisdn"] }));
    const [updated] = await Promise.all([
      dxl("steward", "source", "update-schema", ids.source, "--schema", schema, "--schema-uri", "ipfs://calls/v2"),
      dxl("bureauAdmin", "member", "remove", address("supervisor")),
    ]);
    // Not alongside the others: a suspended organization's admin cannot act.
    await dxl("governance", "org", "suspend", "2");
    await dxl("governance", "org", "reinstate", "2");
    expect(updated.schemaVersion).to.equal("2");
    expect((await suite.consortium.membership(address("supervisor"))).organizationId).to.equal(0n);
    expect(await suite.consortium.isOrganizationActive(2n)).to.equal(true);
    await dxl("steward", "source", "retire", ids.source);
    expect((await suite.dataSources.getSource(ids.source)).retired).to.equal(true);
  });
});
