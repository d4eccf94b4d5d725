import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";
import { deploySuite } from "../../../scripts/lib/deployment";
import type { Suite } from "../../../scripts/lib/deployment";
import { readProofsFile } from "../../../scripts/lib/merkle";
import type { ProofsFileRecord } from "../../../scripts/lib/merkle";
import { readScenarioSummary, scenarioAccounts, ScenarioError, seedScenario } from "../../../scripts/lib/scenario";
import type { ScenarioSummary } from "../../../scripts/lib/scenario";
import { Acknowledgement, RecordVerification, RequestStatus, roleMask, Role } from "../../../scripts/lib/suite-values";
import { startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";

chai.use(chaiAsPromised);

const SEED = 20_260_301;
/** Small enough for the suite to stay quick, large enough for several batches per source. */
const TOTAL_RECORDS = 8_000;
const RECORDS_PER_BATCH = 500;
const DAY = 86_400;

/** A node, the suite deployed on it, and the scenario seeded into a data folder of its own. */
interface SeededChain {
  node: NodeProcess;
  provider: JsonRpcProvider;
  suite: Suite;
  dataDir: string;
  summary: ScenarioSummary;
}

async function seedFreshChain(startTime: number): Promise<SeededChain> {
  const node = await startHardhatNode();
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const accounts = scenarioAccounts(provider);
  const { suite } = await deploySuite(accounts.governance, { adminTransferDelaySeconds: 3_600 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-scenario-"));
  const summary = await seedScenario({
    provider,
    suite,
    accounts,
    seed: SEED,
    totalRecords: TOTAL_RECORDS,
    recordsPerBatch: RECORDS_PER_BATCH,
    startTime,
    dataDir,
  });
  return { node, provider, suite, dataDir, summary };
}

/** What must not depend on the chain the scenario ran on, nor on its data folder. */
function identities(summary: ScenarioSummary) {
  return {
    organizations: summary.organizations.map(({ id, members }) => ({ id, members })),
    sources: summary.sources.map(({ sourceId, schemaHash, recordCount, attestationIds }) => ({
      sourceId,
      schemaHash,
      recordCount,
      attestationIds,
    })),
    attestations: summary.attestations.map(({ id, merkleRoot, recordCount, periodStart, previousAttestationId }) => ({
      id,
      merkleRoot,
      recordCount,
      periodStart,
      previousAttestationId,
    })),
    requests: summary.cases.flatMap(({ caseRef, requests }) =>
      requests.map(({ requestId, scopeHash, deliveryIds }) => ({ caseRef, requestId, scopeHash, deliveryIds })),
    ),
    deliveries: summary.deliveries.map(({ id, requestId, attestationId, payloadHash }) => ({
      id,
      requestId,
      attestationId,
      payloadHash,
    })),
  };
}

function allRequests(summary: ScenarioSummary) {
  return summary.cases.flatMap((each) => each.requests);
}

/** Record `index` of a batch file, as its line, and that record's line of the batch's proofs file. */
async function recordWithProof(dataDir: string, recordsFile: string, proofsFile: string, index: number) {
  const lines = fs.readFileSync(path.join(dataDir, recordsFile), "utf8").split("\n");
  const { records } = await readProofsFile(path.join(dataDir, proofsFile));
  let proof: ProofsFileRecord | undefined;
  for await (const record of records) if (record.index === index) proof = record;
  return { line: lines[index], proof: proof! };
}

describe("seedScenario", function () {
  this.timeout(180_000);
  let first: SeededChain;
  let second: SeededChain;

  before(async () => {
    // Both chains start at the same instant: request ids are EIP-712 digests over times counted from it.
    const startTime = (Math.floor(Date.now() / 1000 / DAY) + 2) * DAY;
    [first, second] = await Promise.all([seedFreshChain(startTime), seedFreshChain(startTime)]);
  });

  after(async () => {
    for (const chain of [first, second]) {
      if (!chain) continue;
      chain.provider.destroy();
      await chain.node.stop();
      fs.rmSync(chain.dataDir, { recursive: true, force: true });
    }
  });

  describe("determinism", () => {
    it("should give the same records, roots and ids on two fresh chains with the same seed", () => {
      expect(identities(second.summary)).to.deep.equal(identities(first.summary));
    });

    it("should write byte-identical record files", () => {
      for (const attestation of first.summary.attestations.slice(0, 5)) {
        const read = (chain: SeededChain) => fs.readFileSync(path.join(chain.dataDir, attestation.recordsFile));
        expect(read(second).equals(read(first))).to.be.true;
      }
    });
  });

  describe("content", () => {
    it("should seed the six organizations, nine sources and the requested volume", () => {
      const { counts } = first.summary;
      expect(counts.organizations).to.equal(6);
      expect(counts.sources).to.equal(9);
      expect(counts.records).to.be.within(TOTAL_RECORDS - 10, TOTAL_RECORDS + 10);
      expect(counts.attestations).to.be.greaterThan(counts.sources);
    });

    it("should cover every stored and computed request status, a dispute and a relayed endorsement", () => {
      const requests = allRequests(first.summary);
      const statuses = new Set(requests.map((request) => request.expected.status));
      expect([...statuses]).to.include.members(["PENDING", "REJECTED", "ACTIVE", "EXHAUSTED", "EXPIRED", "REVOKED"]);
      expect(requests.some((request) => request.submission === "relayed")).to.be.true;
      expect(requests.some((request) => request.endorsement === "relayed")).to.be.true;
      expect(first.summary.deliveries.map((delivery) => delivery.acknowledgement)).to.include("DISPUTED");
    });
  });

  describe("chain state", () => {
    it("should hold each organization's members with their roles", async () => {
      for (const organization of first.summary.organizations) {
        for (const member of organization.members) {
          const membership = await first.suite.consortium.membership(member.address);
          expect(membership.organizationId).to.equal(BigInt(organization.id));
          expect(membership.roles).to.equal(BigInt(member.roleMask));
        }
      }
      const bureau = first.summary.organizations.find((organization) => organization.kind === "PUBLIC_SECURITY")!;
      const investigators = await first.suite.consortium.roleHolders(bureau.id, Role.INVESTIGATOR);
      expect(investigators).to.have.lengthOf(3);
      expect(bureau.members.find((member) => member.account === "chiefSupervisor")!.roleMask).to.equal(
        roleMask(Role.SUPERVISOR, Role.INVESTIGATOR),
      );
    });

    it("should register each source with its schema file's hash", async () => {
      for (const source of first.summary.sources) {
        const stored = await first.suite.dataSources.getSource(source.sourceId);
        const schema = fs.readFileSync(path.join(first.dataDir, source.schemaFile));
        expect(stored.schemaHash).to.equal(source.schemaHash);
        expect(keccak256(schema)).to.equal(source.schemaHash);
        expect(stored.organizationId).to.equal(BigInt(source.organizationId));
      }
    });

    it("should attest each batch with its root and chain it to its source's previous batch", async () => {
      const { attestations } = first.suite;
      for (const attestation of first.summary.attestations) {
        const stored = await attestations.getAttestation(attestation.id);
        expect(stored.merkleRoot).to.equal(attestation.merkleRoot);
        expect(stored.recordCount).to.equal(BigInt(attestation.recordCount));
      }
      for (const source of first.summary.sources) {
        const chain = await attestations.getSourceChain(source.sourceId);
        expect(chain.headAttestationId).to.equal(BigInt(source.attestationIds.at(-1)!));
        expect(chain.chainLength).to.equal(BigInt(source.attestationIds.length));
      }
    });

    it("should leave each request in its expected status, usable or not", async () => {
      for (const request of allRequests(first.summary)) {
        const grant = await first.suite.accessGrants.getGrant(request.requestId);
        expect(grant.status, request.key).to.equal(BigInt(RequestStatus[request.expected.storedStatus]));
        expect(grant.deliveryCount, request.key).to.equal(BigInt(request.deliveryIds.length));
        expect(await first.suite.accessGrants.isGrantUsable(request.requestId), request.key).to.equal(
          request.expected.isUsable,
        );
      }
    });

    it("should hold the revoked grant as revoked and the expired one as approved but past its window", async () => {
      const requests = allRequests(first.summary);
      const revoked = requests.find((request) => request.revokedBy !== null)!;
      expect((await first.suite.accessGrants.getGrant(revoked.requestId)).status).to.equal(
        BigInt(RequestStatus.REVOKED),
      );
      const expired = requests.find((request) => request.expected.status === "EXPIRED")!;
      const grant = await first.suite.accessGrants.getGrant(expired.requestId);
      const latest = (await first.provider.getBlock("latest"))!.timestamp;
      expect(grant.status).to.equal(BigInt(RequestStatus.APPROVED));
      expect(latest).to.be.at.least(Number(grant.notAfter));
      expect(await first.suite.accessGrants.isGrantUsable(expired.requestId)).to.be.false;
    });

    it("should record each delivery with its attestation, record count and acknowledgement", async () => {
      expect(await first.suite.accessGrants.deliveryCount()).to.equal(BigInt(first.summary.deliveries.length));
      for (const delivery of first.summary.deliveries) {
        const stored = await first.suite.accessGrants.getDelivery(delivery.id);
        expect(stored.requestId).to.equal(delivery.requestId);
        expect(stored.attestationId).to.equal(BigInt(delivery.attestationId));
        expect(stored.recordCount).to.equal(BigInt(delivery.recordCount));
        expect(stored.acknowledgement).to.equal(BigInt(Acknowledgement[delivery.acknowledgement]));
      }
    });
  });

  describe("record files", () => {
    it("should verify a record of a batch file on chain with its proof", async () => {
      const attestation = first.summary.attestations[3];
      const index = Math.floor(attestation.recordCount / 2);
      const { line, proof } = await recordWithProof(
        first.dataDir,
        attestation.recordsFile,
        attestation.proofsFile,
        index,
      );
      const digest = keccak256(toUtf8Bytes(line));
      expect(proof.digest).to.equal(digest);
      const { attestations } = first.suite;
      expect(await attestations.verifyRecord(attestation.id, index, digest, proof.proof)).to.equal(
        BigInt(RecordVerification.VALID),
      );
      const altered = keccak256(toUtf8Bytes(line.replace(/"(\d)/, '"9$1')));
      expect(await attestations.verifyRecord(attestation.id, index, altered, proof.proof)).to.equal(
        BigInt(RecordVerification.INVALID),
      );
    });

    it("should hand over payloads whose hash is recorded and whose records verify on chain", async () => {
      for (const delivery of first.summary.deliveries) {
        const payload = fs.readFileSync(path.join(first.dataDir, delivery.recordsFile), "utf8");
        const lines = payload.trimEnd().split("\n");
        // dxl deliver's rule: keccak256 of the canonical JSON of the delivered records array.
        expect(keccak256(toUtf8Bytes(`[${lines.join(",")}]`))).to.equal(delivery.payloadHash);
        const { header, records } = await readProofsFile(path.join(first.dataDir, delivery.proofsFile));
        expect(header.root).to.equal(
          first.summary.attestations.find((attestation) => attestation.id === delivery.attestationId)!.merkleRoot,
        );
        let position = 0;
        for await (const record of records) {
          expect(record.digest).to.equal(keccak256(toUtf8Bytes(lines[position++])));
          expect(
            await first.suite.attestations.verifyRecord(
              delivery.attestationId,
              record.index,
              record.digest,
              record.proof,
            ),
          ).to.equal(BigInt(RecordVerification.VALID));
        }
        expect(position).to.equal(delivery.recordCount);
      }
    });
  });

  describe("summary file", () => {
    it("should write the summary into the data folder, for a second start to read", () => {
      expect(readScenarioSummary(first.dataDir)).to.deep.equal(first.summary);
    });

    it("should refuse to seed a suite that already has organizations", async () => {
      const accounts = scenarioAccounts(first.provider);
      await expect(
        seedScenario({ provider: first.provider, suite: first.suite, accounts, seed: SEED, dataDir: first.dataDir }),
      ).to.be.rejectedWith(ScenarioError, /already has 6 organizations/);
    });
  });
});
