import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { id } from "ethers";
import { caseRefOf } from "../../../scripts/lib/access-request";
import {
  buildEvidenceBundle,
  EvidenceSubjectNotFoundError,
  failedChecks,
  verifyEvidenceBundle,
} from "../../../scripts/lib/evidence";
import type { EvidenceBundle, RequestEvidence } from "../../../scripts/lib/evidence";
import { recordDigestHex } from "../../../scripts/lib/merkle";
import { CONTRACT_WALLET_CASE, evidenceScenario } from "../../helpers/evidence-scenario";
import type { EvidenceScenario } from "../../helpers/evidence-scenario";

chai.use(chaiAsPromised);

/** A fresh copy of the bundle, as a verifier reads it from its file. */
function copyOf(bundle: EvidenceBundle): EvidenceBundle {
  return JSON.parse(JSON.stringify(bundle)) as EvidenceBundle;
}

function requestOf(bundle: EvidenceBundle, requestId: string): RequestEvidence {
  return bundle.requests.find((request) => request.requestId === requestId)!;
}

/** A way to tamper with a bundle, and the failed check (by name and reason) it must cause. */
interface Tampering {
  what: string;
  tamper(bundle: EvidenceBundle, scenario: EvidenceScenario): unknown;
  check: RegExp;
  reason: RegExp;
}

/** The transaction of a log reference, and the log itself, in the bundle's receipts. */
function loggedAt(bundle: EvidenceBundle, logged: { transactionHash: string; logIndex: number }) {
  const transaction = bundle.transactions[logged.transactionHash];
  return { transaction, log: transaction.receipt.logs.find((log) => Number(log.logIndex) === logged.logIndex)! };
}

const OTHER_HASH = id("something else");

const TAMPERINGS: Tampering[] = [
  {
    what: "a delivered record is changed",
    tamper: (bundle) =>
      ((bundle.deliveryPackages[0].records[1].record as { msisdn: string }).msisdn = "+8613811111111"),
    check: /^delivery 2: record 2 is in attestation/,
    reason: /canonical JSON hashes to 0x[0-9a-f]{64}, not its stated digest/,
  },
  {
    what: "a delivered record is changed together with its digest",
    tamper: async (bundle) => {
      const delivered = bundle.deliveryPackages[0].records[1];
      (delivered.record as { msisdn: string }).msisdn = "+8613811111111";
      delivered.digest = await recordDigestHex(delivered.record);
    },
    check: /^delivery 2: record 2 is in attestation/,
    reason: /proof does not lead .* to the attested root/,
  },
  {
    what: "a record's proof is changed",
    tamper: (bundle) => (bundle.deliveryPackages[1].records[0].proof[0] = OTHER_HASH),
    check: /^delivery 3: record 5 is in attestation/,
    reason: /proof does not lead .* to the attested root/,
  },
  {
    what: "a record is dropped from a delivery package",
    tamper: (bundle) => bundle.deliveryPackages[0].records.pop(),
    check: /^delivery 2: the records hash to the payload hash/,
    reason: /not the delivery's payload hash/,
  },
  {
    what: "a request field is changed",
    tamper: (bundle, scenario) => (requestOf(bundle, scenario.requests.signed).values.scopeHash = OTHER_HASH),
    check: /: id is the EIP-712 digest of its values$/,
    reason: /its values hash to 0x[0-9a-f]{64}, not 0x/,
  },
  {
    what: "a request field is changed in the log's claim",
    tamper: (bundle, scenario) => (requestOf(bundle, scenario.requests.rejected).values.maxDeliveries = "9"),
    check: /: submission: log \d+ of transaction .* is AccessRequested$/,
    reason: /the log's request\.maxDeliveries is "3", but the bundle says "9"/,
  },
  {
    what: "the requester's signature is changed",
    tamper: (bundle, scenario) => {
      const request = requestOf(bundle, scenario.requests.signed);
      request.signature = `${request.signature!.slice(0, 10)}${"7".repeat(56)}${request.signature!.slice(66)}`;
    },
    check: /: signature is the requester's$/,
    reason: /the signature (recovers to 0x[0-9a-fA-F]{40}|is not a valid ECDSA signature), not 0x/,
  },
  {
    what: "the endorsement's signature is changed",
    tamper: (bundle, scenario) => {
      const signed = requestOf(bundle, scenario.requests.endorsed).endorsements[0].signed!;
      signed.signature = `${signed.signature.slice(0, 10)}${"7".repeat(56)}${signed.signature.slice(66)}`;
    },
    check: /: endorsement by 0x[0-9a-f]{40} is signed by the supervisor$/,
    reason: /^the calldata's signature is "0x[0-9a-f]{130}", but the bundle says "0x[0-9a-f]{8}7{56}/,
  },
  {
    what: "a log's data is changed",
    tamper: (bundle, scenario) => {
      const { log } = loggedAt(bundle, requestOf(bundle, scenario.requests.signed).deliveries[0].logged);
      log.data = `0x${"ab".repeat(32)}${log.data.slice(66)}`;
    },
    check: /: delivery 2: log \d+ of transaction .* is DeliveryRecorded$/,
    reason: /the log's payloadHash is "0xabab/,
  },
  {
    what: "a log's emitter is changed",
    tamper: (bundle, scenario) => {
      const { log } = loggedAt(bundle, requestOf(bundle, scenario.requests.rejected).decision!.logged);
      log.address = bundle.contracts.AttestationRegistry;
    },
    check: /: decision \(rejected\): log \d+ /,
    reason: /emitted by 0x[0-9a-fA-F]{40}, not the bundle's AccessGrants/,
  },
  {
    what: "a decision is changed",
    tamper: (bundle, scenario) => (requestOf(bundle, scenario.requests.rejected).decision!.outcome = "approved"),
    check: /: decision \(approved\): log \d+ of transaction .* is RequestApproved$/,
    reason: /the log is RequestRejected, not RequestApproved/,
  },
  {
    what: "an acknowledgement is changed",
    tamper: (bundle, scenario) =>
      (requestOf(bundle, scenario.requests.signed).deliveries[1].acknowledgement!.outcome = "accepted"),
    check: /: delivery 3 acknowledgement: log \d+ /,
    reason: /the log's acknowledgement is "2", but the bundle says "1"/,
  },
  {
    what: "a revocation is changed",
    tamper: (bundle, scenario) => (requestOf(bundle, scenario.requests.endorsed).revocations[0].reasonCode = "1"),
    check: /: revocation: log \d+ /,
    reason: /the log's reasonCode is "11", but the bundle says "1"/,
  },
  {
    what: "an attestation's root is changed",
    tamper: (bundle) => (bundle.attestations.at(-1)!.root = OTHER_HASH),
    check: /^attestation \d+: recording: /,
    reason: /the log's request\.merkleRoot is "0x[0-9a-f]{64}", but the bundle says/,
  },
  {
    what: "a signed transaction is changed",
    tamper: (bundle, scenario) => {
      const { transaction } = loggedAt(bundle, requestOf(bundle, scenario.requests.rejected).submitted);
      // Six hex digits inside the signature's r: still a well-formed transaction, another hash.
      transaction.signed = `${transaction.signed.slice(0, -80)}${"1".repeat(6)}${transaction.signed.slice(-74)}`;
    },
    check: /^transaction 0x[0-9a-f]{8}…: the signed transaction hashes to its hash$/,
    reason: /hashes to 0x[0-9a-f]{64}, not 0x/,
  },
  {
    what: "a transaction's sender is changed",
    tamper: (bundle, scenario) => {
      const { transaction } = loggedAt(bundle, requestOf(bundle, scenario.requests.rejected).submitted);
      transaction.from = scenario.deployment.addresses.governance;
    },
    check: /^transaction 0x[0-9a-f]{8}…: signed by its sender/,
    reason: /the signature recovers to 0x[0-9a-fA-F]{40}, not the stated sender/,
  },
  {
    what: "a receipt says the transaction failed",
    tamper: (bundle, scenario) => {
      loggedAt(bundle, requestOf(bundle, scenario.requests.rejected).submitted).transaction.receipt.status = "0x0";
    },
    check: /: the receipt is its receipt, successful, in a block of the bundle$/,
    reason: /the transaction failed \(status 0x0\)/,
  },
  {
    what: "a signed transaction is cut short",
    tamper: (bundle) => {
      const transaction = Object.values(bundle.transactions)[0];
      transaction.signed = transaction.signed.slice(0, -8);
    },
    check: /^transaction 0x[0-9a-f]{8}…: the signed transaction hashes to its hash$/,
    reason: /^the signed transaction does not decode: /,
  },
  {
    what: "a block header field is changed",
    tamper: (bundle) => (Object.values(bundle.blocks)[0].header.stateRoot = OTHER_HASH),
    check: /^block \d+ \(0x[0-9a-f]{8}…\): the header hashes to its block hash$/,
    reason: /the header's fields hash to 0x[0-9a-f]{64}, not 0x/,
  },
  {
    what: "a receipt's log is changed consistently with the step that claims it",
    tamper: (bundle, scenario) => {
      const rejection = requestOf(bundle, scenario.requests.rejected).decision!;
      rejection.reasonCode = "5";
      const { log } = loggedAt(bundle, rejection.logged);
      log.data = `${log.data.slice(0, -1)}5`;
    },
    check: /^transaction 0x[0-9a-f]{8}…: its block's tries hold it and its receipt$/,
    reason: /the block's receipt 0 is not this receipt/,
  },
  {
    what: "a block's receipt list is changed with it",
    tamper: (bundle, scenario) => {
      const { transaction } = loggedAt(bundle, requestOf(bundle, scenario.requests.rejected).decision!.logged);
      const block = bundle.blocks[transaction.receipt.blockHash];
      block.receipts[0] = `${block.receipts[0].slice(0, -1)}5`;
    },
    check: /^block \d+ \(0x[0-9a-f]{8}…\): its transactions and receipts make the header's roots$/,
    reason: /its receipts make root 0x[0-9a-f]{64}, the header's receiptsRoot is 0x/,
  },
  {
    what: "a block's transaction list is changed",
    tamper: (bundle) => {
      const block = Object.values(bundle.blocks).find((candidate) => candidate.transactions.length === 2)!;
      block.transactions.reverse();
    },
    check: /^block \d+ \(0x[0-9a-f]{8}…\): its transactions and receipts make the header's roots$/,
    reason: /its transactions make root 0x[0-9a-f]{64}, the header's transactionsRoot is 0x/,
  },
  {
    what: "a block is dropped",
    tamper: (bundle) => delete bundle.blocks[Object.keys(bundle.blocks)[0]],
    check: /: the receipt is its receipt, successful, in a block of the bundle$/,
    reason: /its block 0x[0-9a-f]{64} is not in the bundle/,
  },
  {
    what: "a delivery package names a delivery of another request",
    tamper: (bundle, scenario) => (bundle.deliveryPackages[0].requestId = scenario.requests.rejected),
    check: /^delivery 2: the package is of a delivery of the bundle/,
    reason: /has no delivery 2 in the bundle/,
  },
];

describe("evidence bundles", function () {
  this.timeout(60_000);
  let scenario: EvidenceScenario;
  let bundle: EvidenceBundle;

  before(async function () {
    scenario = await evidenceScenario();
    bundle = await buildEvidenceBundle({
      provider: scenario.deployment.provider,
      deployment: scenario.deployment.record,
      subject: { caseRef: scenario.caseRef },
      deliveryPackages: scenario.deliveryPackages,
    });
  });

  describe("building", function () {
    it("should hold every request of the case with its signature, endorsement, decision, deliveries and revocation", function () {
      const { signed, endorsed, rejected } = scenario.requests;
      expect(bundle.requests.map((request) => request.requestId)).to.deep.equal([signed, endorsed, rejected]);
      const bySignature = requestOf(bundle, signed);
      expect(bySignature.signature).to.match(/^0x[0-9a-f]{130}$/);
      expect(bySignature.submitter).to.equal(scenario.deployment.addresses.governance);
      expect(bySignature.decision).to.include({
        outcome: "approved",
        steward: scenario.deployment.addresses.telecomSteward,
      });
      expect(
        bySignature.deliveries.map((delivery) => [
          delivery.deliveryId,
          delivery.recordCount,
          delivery.acknowledgement?.outcome,
        ]),
      ).to.deep.equal([
        ["2", "3", "accepted"],
        ["3", "1", "disputed"],
      ]);
      const endorsedRequest = requestOf(bundle, endorsed);
      expect(endorsedRequest.signature).to.equal(null);
      expect(endorsedRequest.endorsements).to.have.length(1);
      expect(endorsedRequest.endorsements[0]).to.include({
        supervisor: scenario.deployment.addresses.supervisor,
        bySignature: true,
      });
      expect(endorsedRequest.endorsements[0].signed?.signature).to.match(/^0x[0-9a-f]{130}$/);
      expect(endorsedRequest.revocations).to.have.length(1);
      expect(endorsedRequest.revocations[0]).to.include({ reasonCode: "11", previousStatus: "APPROVED" });
      expect(requestOf(bundle, rejected).decision).to.include({ outcome: "rejected", reasonCode: "4" });
    });

    it("should hold the attestation drawn from with its root and record count, and every transaction and block", function () {
      expect(bundle.attestations).to.have.length(1);
      expect(bundle.attestations[0]).to.include({
        attestationId: scenario.attestationId,
        root: scenario.tree.root,
        recordCount: "6",
        attester: scenario.deployment.addresses.telecomSteward,
      });
      expect(bundle.attestations[0].revocation).to.equal(undefined);
      // submissions 3, endorsement, 3 decisions, revocation, 2 deliveries, 2 acknowledgements, the attestation
      expect(Object.keys(bundle.transactions)).to.have.length(13);
      // the two acknowledgements share a block
      expect(Object.keys(bundle.blocks)).to.have.length(12);
      expect(Object.values(bundle.blocks).map((block) => block.transactions.length)).to.include(2);
      expect(bundle.deliveryPackages).to.deep.equal(scenario.deliveryPackages);
    });

    it("should hold only the request a request id names", async function () {
      const single = await buildEvidenceBundle({
        provider: scenario.deployment.provider,
        deployment: scenario.deployment.record,
        subject: { requestId: scenario.requests.endorsed },
      });
      expect(single.requests.map((request) => request.requestId)).to.deep.equal([scenario.requests.endorsed]);
      expect(single.attestations).to.deep.equal([]);
      expect(failedChecks(await verifyEvidenceBundle(single))).to.deep.equal([]);
    });

    it("should refuse a subject without requests, and a package of a delivery outside the trail", async function () {
      const build = (
        subject: { caseRef: string } | { requestId: string },
        deliveryPackages = scenario.deliveryPackages,
      ) =>
        buildEvidenceBundle({
          provider: scenario.deployment.provider,
          deployment: scenario.deployment.record,
          subject,
          deliveryPackages,
        });
      await expect(build({ caseRef: id("case:unknown") })).to.be.rejectedWith(
        EvidenceSubjectNotFoundError,
        /no access request/,
      );
      await expect(build({ requestId: scenario.requests.rejected })).to.be.rejectedWith(/is not part of this trail/);
    });
  });

  describe("verifying", function () {
    it("should pass every check offline, the block headers hashed exactly", async function () {
      const checks = await verifyEvidenceBundle(copyOf(bundle));
      expect(failedChecks(checks)).to.deep.equal([]);
      const headerChecks = checks.filter((result) => /the header hashes to its block hash/.test(result.name));
      expect(headerChecks).to.have.length(12);
      expect(headerChecks.every((result) => result.status === "passed")).to.equal(true);
      expect(checks.filter((result) => /record \d is in attestation/.test(result.name))).to.have.length(4);
      const skipped = checks.filter((result) => result.status === "skipped").map((result) => result.reason);
      expect(skipped).to.have.members([
        "submitted by the requester itself, without a signature",
        "submitted by the requester itself, without a signature",
      ]);
    });

    it("should pass every check against the chain", async function () {
      const checks = await verifyEvidenceBundle(copyOf(bundle), { provider: scenario.deployment.provider });
      expect(failedChecks(checks)).to.deep.equal([]);
      expect(checks.filter((result) => /on the node's canonical chain/.test(result.name))).to.have.length(12);
    });

    it("should fail against the chain when a receipt differs from the node's", async function () {
      const tampered = copyOf(bundle);
      Object.values(tampered.transactions)[0].receipt.gasUsed = "0x1";
      expect(failedChecks(await verifyEvidenceBundle(tampered))).to.deep.equal([]);
      const failures = failedChecks(await verifyEvidenceBundle(tampered, { provider: scenario.deployment.provider }));
      expect(failures.map((failure) => failure.reason)).to.deep.equal([
        `the receipt's gasUsed is "0x1", the node's ${JSON.stringify(Object.values(bundle.transactions)[0].receipt.gasUsed)}`,
      ]);
    });

    it("should fail against the chain when a step or a request is left out", async function () {
      const tampered = copyOf(bundle);
      requestOf(tampered, scenario.requests.endorsed).revocations = [];
      tampered.requests = tampered.requests.filter((request) => request.requestId !== scenario.requests.rejected);
      expect(failedChecks(await verifyEvidenceBundle(tampered))).to.deep.equal([]);
      const failures = failedChecks(await verifyEvidenceBundle(tampered, { provider: scenario.deployment.provider }));
      expect(failures).to.have.length(1);
      expect(failures[0].name).to.equal(
        "the bundle holds every request of its subject and every step of them on the chain",
      );
      expect(failures[0].reason).to.match(
        /^the bundle leaves out AccessRequested \(log 0 of 0x[0-9a-f]{64}\), RequestRejected \(log 0 of 0x[0-9a-f]{64}\), GrantRevoked \(log 0 of 0x[0-9a-f]{64}\)$/,
      );
    });

    it("should check a contract wallet's signature through ERC-1271 at the block that accepted it", async function () {
      const byWallet = await buildEvidenceBundle({
        provider: scenario.deployment.provider,
        deployment: scenario.deployment.record,
        subject: { caseRef: caseRefOf(CONTRACT_WALLET_CASE) },
      });
      expect(byWallet.requests.map((request) => request.requestId)).to.deep.equal([scenario.requests.byContractWallet]);
      const offline = failedChecks(await verifyEvidenceBundle(byWallet));
      expect(offline.map((failure) => failure.name)).to.deep.equal([
        `request ${scenario.requests.byContractWallet.slice(0, 10)}…: signature is the requester's`,
      ]);
      expect(offline[0].reason).to.match(/can be checked only against a node\)$/);
      const online = await verifyEvidenceBundle(byWallet, { provider: scenario.deployment.provider });
      expect(failedChecks(online)).to.deep.equal([]);
      const forged = copyOf(byWallet);
      forged.requests[0].signature = requestOf(bundle, scenario.requests.signed).signature;
      const forgedFailures = failedChecks(
        await verifyEvidenceBundle(forged, { provider: scenario.deployment.provider }),
      );
      expect(forgedFailures.map((failure) => failure.reason)).to.include(
        `the contract wallet ${byWallet.requests[0].values.requester} does not accept the signature (ERC-1271)`,
      );
    });

    it("should fail a bundle of another format", async function () {
      const failures = failedChecks(
        await verifyEvidenceBundle({ ...copyOf(bundle), format: "dxl-evidence-v0" as never }),
      );
      expect(failures).to.deep.equal([
        {
          name: "the bundle is in format dxl-evidence-v1",
          status: "failed",
          reason: 'the bundle\'s format is "dxl-evidence-v0"',
        },
      ]);
    });

    for (const tampering of TAMPERINGS) {
      it(`should fail, naming what, when ${tampering.what}`, async function () {
        const tampered = copyOf(bundle);
        await tampering.tamper(tampered, scenario);
        const failures = failedChecks(await verifyEvidenceBundle(tampered));
        const named = failures.find((failure) => tampering.check.test(failure.name));
        expect(named, `no failed check matches ${tampering.check}: ${JSON.stringify(failures, null, 1)}`).to.not.equal(
          undefined,
        );
        expect(named!.reason).to.match(tampering.reason);
      });
    }
  });
});
