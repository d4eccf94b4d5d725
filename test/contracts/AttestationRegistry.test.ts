import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ZeroHash } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import type { AttestationRegistry, IAttestationRegistry } from "../../typechain-types";
import { consortiumScenario, DAY, RecordVerification, Role } from "../helpers/suite";
import {
  attestationOf,
  attestationRequest,
  canonicalJson,
  nextChainDigest,
  recordDigest,
  recordLeafHash,
  recordTree,
  requestOf,
  RECORD_LEAF_ENCODING,
  rootFromProof,
  sourceChainOf,
} from "../helpers/merkle";
import type { AttestationRequest, Json, RecordTree } from "../helpers/merkle";

/** 2024-01-01T00:00:00Z: the periods of the scenario are counted in days from here. */
const EPOCH = 1_704_067_200n;
const day = (n: number) => EPOCH + BigInt(n * DAY);

function callRecord(index: number): Json {
  return {
    caller: `+8613800${String(index).padStart(6, "0")}`,
    callee: `+8613900${String((index * 7919) % 1_000_000).padStart(6, "0")}`,
    startedAt: `2024-01-01T${String(index % 24).padStart(2, "0")}:15:00Z`,
    durationSeconds: 30 + index * 11,
    cellId: `CELL-${index % 5}`,
  };
}

function cellLocation(index: number): Json {
  return { cellId: `CELL-${index}`, latitude: 31.2 + index / 100, longitude: 121.4 + index / 100, sector: index % 3 };
}

const CALL_RECORDS = Array.from({ length: 20 }, (_, index) => callRecord(index));
const CELL_LOCATIONS = Array.from({ length: 6 }, (_, index) => cellLocation(index));

/** A predicate for `.withArgs`: the event's `request` tuple equals `expected`, field by field. */
function requestMatching(expected: AttestationRequest) {
  return (actual: IAttestationRegistry.AttestationRequestStructOutput) => {
    expect(requestOf(actual)).to.deep.equal(expected);
    return true;
  };
}

/** The AttestationRecorded logs of a transaction, parsed with the registry's interface. */
async function recordedLogs(registry: AttestationRegistry, tx: ContractTransactionResponse) {
  const receipt = await tx.wait();
  return (receipt?.logs ?? [])
    .map((log) => registry.interface.parseLog(log))
    .filter((parsed) => parsed?.name === "AttestationRecorded")
    .map((parsed) => {
      const [attestationId, sourceId, organizationId, request, chainDigest, attester] = parsed!.args;
      return { attestationId, sourceId, organizationId, request: requestOf(request), chainDigest, attester };
    });
}

/** The scenario with one attestation a source: 1 = call records (20), 2 = cell locations (6), 3 = transfers. */
async function attestedScenario() {
  const scenario = await consortiumScenario();
  const { attestations, signers, sources } = scenario;
  const callTree = recordTree(CALL_RECORDS.map(recordDigest));
  const cellTree = recordTree(CELL_LOCATIONS.map(recordDigest));
  const transferTree = recordTree(["transfer 1", "transfer 2"].map((text) => recordDigest({ text })));
  const requests = {
    callRecords: attestationRequest({
      sourceId: sources.callRecords,
      merkleRoot: callTree.root,
      recordCount: CALL_RECORDS.length,
      periodStart: day(0),
      periodEnd: day(1),
      dataURI: "ipfs://dxl/call-records/2024-01-01",
    }),
    cellLocations: attestationRequest({
      sourceId: sources.cellLocations,
      merkleRoot: cellTree.root,
      recordCount: CELL_LOCATIONS.length,
      periodStart: day(0),
      periodEnd: day(1),
    }),
    transfers: attestationRequest({
      sourceId: sources.transfers,
      merkleRoot: transferTree.root,
      recordCount: 2,
      periodStart: day(0),
      periodEnd: day(1),
    }),
  };
  await attestations.connect(signers.telecomSteward).attest(requests.callRecords);
  await attestations.connect(signers.telecomSteward).attest(requests.cellLocations);
  await attestations.connect(signers.bankSteward).attest(requests.transfers);
  return { ...scenario, trees: { callTree, cellTree }, requests };
}

/** The next call-records batch after attestation 1: the following day, naming 1 as previous. */
function followingCallRecords(previous: AttestationRequest, fields: Partial<AttestationRequest> = {}) {
  return attestationRequest({
    ...previous,
    merkleRoot: ethers.id("call-records 2024-01-02"),
    recordCount: 7,
    periodStart: previous.periodEnd,
    periodEnd: previous.periodEnd + BigInt(DAY),
    previousAttestationId: 1n,
    dataURI: "",
    ...fields,
  });
}

function proofOf(tree: RecordTree, index: number) {
  const [leafIndex, digest] = tree.at(index)!;
  return { index: leafIndex, digest, proof: tree.getProof(index) };
}

function flipLastByte(hash: string): string {
  const bytes = ethers.getBytes(hash);
  bytes[31] ^= 0x01;
  return ethers.hexlify(bytes);
}

describe("AttestationRegistry", function () {
  describe("construction", function () {
    it("should use the consortium and the data source registry of the suite", async function () {
      const { attestations, consortium, dataSources } = await loadFixture(consortiumScenario);
      expect(await attestations.consortium()).to.equal(await consortium.getAddress());
      expect(await attestations.dataSources()).to.equal(await dataSources.getAddress());
      expect(await attestations.version()).to.equal("1.0.0");
      expect(await attestations.attestationCount()).to.equal(0n);
    });
  });

  describe("attest", function () {
    it("should record a source's first attestation as id 1, with its event, attestation and chain", async function () {
      const { attestations, signers, sources, organizations } = await loadFixture(consortiumScenario);
      const tree = recordTree(CALL_RECORDS.map(recordDigest));
      const request = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: tree.root,
        recordCount: CALL_RECORDS.length,
        periodStart: day(0),
        periodEnd: day(1),
        dataURI: "ipfs://dxl/call-records/2024-01-01",
      });
      const registry = attestations.connect(signers.telecomSteward);
      const digest = nextChainDigest(ZeroHash, 1n, request);

      expect(await registry.attest.staticCall(request)).to.equal(1n);
      const tx = await registry.attest(request);
      await expect(tx)
        .to.emit(attestations, "AttestationRecorded")
        .withArgs(
          1n,
          sources.callRecords,
          organizations.telecomId,
          requestMatching(request),
          digest,
          signers.telecomSteward.address,
        );
      expect(await recordedLogs(attestations, tx)).to.deep.equal([
        {
          attestationId: 1n,
          sourceId: sources.callRecords,
          organizationId: organizations.telecomId,
          request,
          chainDigest: digest,
          attester: signers.telecomSteward.address,
        },
      ]);

      expect(attestationOf(await attestations.getAttestation(1))).to.deep.equal({
        sourceId: sources.callRecords,
        merkleRoot: tree.root,
        recordCount: 20n,
        periodStart: day(0),
        periodEnd: day(1),
        revoked: false,
      });
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords))).to.deep.equal({
        headAttestationId: 1n,
        chainLength: 1n,
        lastPeriodEnd: day(1),
        chainDigest: digest,
      });
      expect(await attestations.attestationCount()).to.equal(1n);
    });

    it("should number attestations sequentially across sources and organizations", async function () {
      const { attestations, requests, sources, organizations, signers } = await loadFixture(attestedScenario);
      expect(await attestations.attestationCount()).to.equal(3n);
      expect((await attestations.getAttestation(1)).sourceId).to.equal(sources.callRecords);
      expect((await attestations.getAttestation(2)).sourceId).to.equal(sources.cellLocations);
      expect((await attestations.getAttestation(3)).sourceId).to.equal(sources.transfers);

      const request = attestationRequest({
        ...requests.transfers,
        periodStart: day(1),
        periodEnd: day(2),
        previousAttestationId: 3n,
      });
      expect(await attestations.connect(signers.bankSteward).attest.staticCall(request)).to.equal(4n);
      await expect(attestations.connect(signers.bankSteward).attest(request))
        .to.emit(attestations, "AttestationRecorded")
        .withArgs(
          4n,
          sources.transfers,
          organizations.bankId,
          requestMatching(request),
          nextChainDigest(nextChainDigest(ZeroHash, 3n, requests.transfers), 4n, request),
          signers.bankSteward.address,
        );
    });

    it("should accept a batch covering a single instant", async function () {
      const { attestations, signers, sources } = await loadFixture(consortiumScenario);
      const request = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: ethers.id("instant"),
        recordCount: 1,
        periodStart: day(3),
        periodEnd: day(3),
      });
      await expect(attestations.connect(signers.telecomSteward).attest(request)).to.emit(
        attestations,
        "AttestationRecorded",
      );
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords)).lastPeriodEnd).to.equal(day(3));
    });

    const MALFORMED_BATCHES = [
      { problem: "the Merkle root is zero", change: { merkleRoot: ZeroHash }, error: "AttestationRegistryInvalidRoot" },
      { problem: "the batch declares no records", change: { recordCount: 0 }, error: "AttestationRegistryNoRecords" },
      {
        problem: "the period ends before it starts",
        change: { periodStart: day(1), periodEnd: day(1) - 1n },
        error: "AttestationRegistryInvalidPeriod",
        args: [day(1), day(1) - 1n],
      },
    ];
    for (const { problem, change, error, args = [] } of MALFORMED_BATCHES) {
      it(`should revert when ${problem}`, async function () {
        const { attestations, signers, sources } = await loadFixture(consortiumScenario);
        const request = attestationRequest({
          sourceId: sources.callRecords,
          merkleRoot: ethers.id("malformed"),
          recordCount: 1,
          periodStart: day(0),
          periodEnd: day(1),
          ...change,
        });
        await expect(attestations.connect(signers.telecomSteward).attest(request))
          .to.be.revertedWithCustomError(attestations, error)
          .withArgs(...args);
      });
    }

    describe("who may attest", function () {
      async function firstCallRecordsBatch() {
        const scenario = await loadFixture(consortiumScenario);
        const request = attestationRequest({
          sourceId: scenario.sources.callRecords,
          merkleRoot: ethers.id("call-records"),
          recordCount: 3,
          periodStart: day(0),
          periodEnd: day(1),
        });
        return { ...scenario, request };
      }

      it("should revert when an investigator attests", async function () {
        const { attestations, signers, request } = await firstCallRecordsBatch();
        await expect(attestations.connect(signers.investigator).attest(request))
          .to.be.revertedWithCustomError(attestations, "MemberMissingRole")
          .withArgs(signers.investigator.address, Role.DATA_STEWARD);
      });

      it("should revert when the holder's organization admin, not a steward, attests", async function () {
        const { attestations, signers, request } = await firstCallRecordsBatch();
        await expect(attestations.connect(signers.telecomAdmin).attest(request))
          .to.be.revertedWithCustomError(attestations, "MemberMissingRole")
          .withArgs(signers.telecomAdmin.address, Role.DATA_STEWARD);
      });

      it("should revert when an account outside the consortium attests, governance included", async function () {
        const { attestations, signers, governance, request } = await firstCallRecordsBatch();
        await expect(attestations.connect(signers.outsider).attest(request))
          .to.be.revertedWithCustomError(attestations, "MemberMissingRole")
          .withArgs(signers.outsider.address, Role.DATA_STEWARD);
        await expect(attestations.connect(governance).attest(request))
          .to.be.revertedWithCustomError(attestations, "MemberMissingRole")
          .withArgs(governance.address, Role.DATA_STEWARD);
      });

      it("should revert when the bank's steward attests a telecom source", async function () {
        const { attestations, signers, organizations, request } = await firstCallRecordsBatch();
        await expect(attestations.connect(signers.bankSteward).attest(request))
          .to.be.revertedWithCustomError(attestations, "AccountNotInOrganization")
          .withArgs(signers.bankSteward.address, organizations.telecomId);
      });

      it("should revert when the holder's organization is suspended, and accept again once reinstated", async function () {
        const { attestations, consortium, signers, organizations, request } = await firstCallRecordsBatch();
        await consortium.suspendOrganization(organizations.telecomId);
        await expect(attestations.connect(signers.telecomSteward).attest(request))
          .to.be.revertedWithCustomError(attestations, "OrganizationInactive")
          .withArgs(organizations.telecomId);

        await consortium.reinstateOrganization(organizations.telecomId);
        await expect(attestations.connect(signers.telecomSteward).attest(request)).to.emit(
          attestations,
          "AttestationRecorded",
        );
      });

      it("should revert when the source is retired", async function () {
        const { attestations, dataSources, signers, sources, request } = await firstCallRecordsBatch();
        await dataSources.connect(signers.telecomSteward).retireSource(sources.callRecords);
        // Thrown by the registry itself (it reads the source and checks), so its ABI carries the error.
        await expect(attestations.connect(signers.telecomSteward).attest(request))
          .to.be.revertedWithCustomError(attestations, "DataSourceRegistrySourceRetired")
          .withArgs(sources.callRecords);
      });

      it("should revert when the source was never registered", async function () {
        const { attestations, dataSources, signers, organizations, request } = await firstCallRecordsBatch();
        const unknown = await dataSources.sourceIdOf(organizations.telecomId, "sms-records");
        // Bubbles up from DataSourceRegistry.getSource: only that contract's ABI carries the error.
        await expect(attestations.connect(signers.telecomSteward).attest({ ...request, sourceId: unknown }))
          .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryUnknownSource")
          .withArgs(unknown);
      });

      it("should revert while the suite is paused", async function () {
        const { attestations, consortium, signers, request } = await firstCallRecordsBatch();
        await consortium.pause();
        await expect(attestations.connect(signers.telecomSteward).attest(request))
          .to.be.revertedWithCustomError(attestations, "EnforcedPause")
          .withArgs();
      });
    });
  });

  describe("attestBatch", function () {
    it("should attest several sources in one transaction, in request order", async function () {
      const { attestations, signers, sources, organizations } = await loadFixture(consortiumScenario);
      const requests = [
        attestationRequest({
          sourceId: sources.cellLocations,
          merkleRoot: ethers.id("cells"),
          recordCount: 6,
          periodStart: day(0),
          periodEnd: day(1),
          dataURI: "ipfs://dxl/cells",
        }),
        attestationRequest({
          sourceId: sources.callRecords,
          merkleRoot: ethers.id("calls"),
          recordCount: 20,
          periodStart: day(2),
          periodEnd: day(3),
        }),
      ];
      const registry = attestations.connect(signers.telecomSteward);
      expect(await registry.attestBatch.staticCall(requests)).to.deep.equal([1n, 2n]);

      const tx = await registry.attestBatch(requests);
      const digests = [nextChainDigest(ZeroHash, 1n, requests[0]), nextChainDigest(ZeroHash, 2n, requests[1])];
      await expect(tx)
        .to.emit(attestations, "AttestationRecorded")
        .withArgs(
          1n,
          sources.cellLocations,
          organizations.telecomId,
          requestMatching(requests[0]),
          digests[0],
          signers.telecomSteward.address,
        )
        .and.to.emit(attestations, "AttestationRecorded")
        .withArgs(
          2n,
          sources.callRecords,
          organizations.telecomId,
          requestMatching(requests[1]),
          digests[1],
          signers.telecomSteward.address,
        );
      expect(await recordedLogs(attestations, tx)).to.deep.equal(
        requests.map((request, index) => ({
          attestationId: BigInt(index + 1),
          sourceId: request.sourceId,
          organizationId: organizations.telecomId,
          request,
          chainDigest: digests[index],
          attester: signers.telecomSteward.address,
        })),
      );

      expect(await attestations.attestationCount()).to.equal(2n);
      for (const [index, request] of requests.entries()) {
        const id = BigInt(index + 1);
        expect(attestationOf(await attestations.getAttestation(id))).to.deep.equal({
          sourceId: request.sourceId,
          merkleRoot: request.merkleRoot,
          recordCount: request.recordCount,
          periodStart: request.periodStart,
          periodEnd: request.periodEnd,
          revoked: false,
        });
        expect(sourceChainOf(await attestations.getSourceChain(request.sourceId))).to.deep.equal({
          headAttestationId: id,
          chainLength: 1n,
          lastPeriodEnd: request.periodEnd,
          chainDigest: digests[index],
        });
      }
    });

    it("should chain two consecutive batches of the same source inside one call", async function () {
      const { attestations, signers, sources, organizations } = await loadFixture(consortiumScenario);
      const first = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: ethers.id("calls day 0"),
        recordCount: 20,
        periodStart: day(0),
        periodEnd: day(1),
      });
      const second = followingCallRecords(first, { previousAttestationId: 1n });
      const registry = attestations.connect(signers.telecomSteward);
      expect(await registry.attestBatch.staticCall([first, second])).to.deep.equal([1n, 2n]);

      const tx = await registry.attestBatch([first, second]);
      const firstDigest = nextChainDigest(ZeroHash, 1n, first);
      const secondDigest = nextChainDigest(firstDigest, 2n, second);
      expect((await recordedLogs(attestations, tx)).map((log) => [log.attestationId, log.chainDigest])).to.deep.equal([
        [1n, firstDigest],
        [2n, secondDigest],
      ]);
      await expect(tx)
        .to.emit(attestations, "AttestationRecorded")
        .withArgs(
          2n,
          sources.callRecords,
          organizations.telecomId,
          requestMatching(second),
          secondDigest,
          signers.telecomSteward.address,
        );
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords))).to.deep.equal({
        headAttestationId: 2n,
        chainLength: 2n,
        lastPeriodEnd: second.periodEnd,
        chainDigest: secondDigest,
      });
    });

    it("should revert when the list is empty", async function () {
      const { attestations, signers } = await loadFixture(consortiumScenario);
      await expect(attestations.connect(signers.telecomSteward).attestBatch([]))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryNoRequests")
        .withArgs();
    });

    it("should store nothing when a later item names a head the earlier item replaced", async function () {
      const { attestations, signers, sources } = await loadFixture(consortiumScenario);
      const first = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: ethers.id("calls"),
        recordCount: 20,
        periodStart: day(0),
        periodEnd: day(1),
      });
      const stale = followingCallRecords(first, { previousAttestationId: 0n });
      await expect(attestations.connect(signers.telecomSteward).attestBatch([first, stale]))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
        .withArgs(sources.callRecords, 1n, 0n);

      expect(await attestations.attestationCount()).to.equal(0n);
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords))).to.deep.equal({
        headAttestationId: 0n,
        chainLength: 0n,
        lastPeriodEnd: 0n,
        chainDigest: ZeroHash,
      });
      await expect(attestations.getAttestation(1))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryUnknownAttestation")
        .withArgs(1n);
    });

    it("should store nothing when one item is for a source of another organization", async function () {
      const { attestations, signers, sources, organizations } = await loadFixture(consortiumScenario);
      const requests = [sources.callRecords, sources.transfers].map((sourceId) =>
        attestationRequest({
          sourceId,
          merkleRoot: ethers.id(sourceId),
          recordCount: 1,
          periodStart: day(0),
          periodEnd: day(1),
        }),
      );
      await expect(attestations.connect(signers.telecomSteward).attestBatch(requests))
        .to.be.revertedWithCustomError(attestations, "AccountNotInOrganization")
        .withArgs(signers.telecomSteward.address, organizations.bankId);
      expect(await attestations.attestationCount()).to.equal(0n);
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords)).chainLength).to.equal(0n);
    });

    it("should store nothing when a later item's period goes backwards", async function () {
      const { attestations, signers, sources } = await loadFixture(consortiumScenario);
      const first = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: ethers.id("calls"),
        recordCount: 20,
        periodStart: day(0),
        periodEnd: day(2),
      });
      const overlapping = followingCallRecords(first, { periodStart: day(1), periodEnd: day(3) });
      await expect(attestations.connect(signers.telecomSteward).attestBatch([first, overlapping]))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryPeriodBackwards")
        .withArgs(sources.callRecords, day(1), day(2));
      expect(await attestations.attestationCount()).to.equal(0n);
    });

    it("should revert while the suite is paused", async function () {
      const { attestations, consortium, signers, sources } = await loadFixture(consortiumScenario);
      await consortium.pause();
      const request = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: ethers.id("calls"),
        recordCount: 1,
        periodStart: day(0),
        periodEnd: day(1),
      });
      await expect(attestations.connect(signers.telecomSteward).attestBatch([request]))
        .to.be.revertedWithCustomError(attestations, "EnforcedPause")
        .withArgs();
    });
  });

  describe("chain rules", function () {
    it("should extend a source's chain when the request names its head and starts where it ended", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const next = followingCallRecords(requests.callRecords);
      expect(next.periodStart).to.equal(requests.callRecords.periodEnd);
      await attestations.connect(signers.telecomSteward).attest(next);
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords))).to.deep.equal({
        headAttestationId: 4n,
        chainLength: 2n,
        lastPeriodEnd: next.periodEnd,
        chainDigest: nextChainDigest(nextChainDigest(ZeroHash, 1n, requests.callRecords), 4n, next),
      });
    });

    it("should accept a gap between consecutive periods", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const next = followingCallRecords(requests.callRecords, { periodStart: day(30), periodEnd: day(31) });
      await attestations.connect(signers.telecomSteward).attest(next);
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords)).lastPeriodEnd).to.equal(day(31));
    });

    it("should revert when a source's first attestation names a previous one", async function () {
      const { attestations, signers, sources } = await loadFixture(consortiumScenario);
      const request = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: ethers.id("calls"),
        recordCount: 1,
        periodStart: day(0),
        periodEnd: day(1),
        previousAttestationId: 1,
      });
      await expect(attestations.connect(signers.telecomSteward).attest(request))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
        .withArgs(sources.callRecords, 0n, 1n);
    });

    it("should revert when the request names a head that was replaced", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const second = followingCallRecords(requests.callRecords);
      await attestations.connect(signers.telecomSteward).attest(second);
      const third = followingCallRecords(second, { previousAttestationId: 1n });
      await expect(attestations.connect(signers.telecomSteward).attest(third))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
        .withArgs(sources.callRecords, 4n, 1n);
    });

    it("should revert when the request names no previous attestation while the source has one", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const next = followingCallRecords(requests.callRecords, { previousAttestationId: 0n });
      await expect(attestations.connect(signers.telecomSteward).attest(next))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
        .withArgs(sources.callRecords, 1n, 0n);
    });

    it("should revert when the request names an attestation never issued", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const next = followingCallRecords(requests.callRecords, { previousAttestationId: 99n });
      await expect(attestations.connect(signers.telecomSteward).attest(next))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
        .withArgs(sources.callRecords, 1n, 99n);
    });

    it("should revert when the request names the head of another source", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      // 2 heads cell locations (same organization), 3 heads the bank's transfers.
      for (const otherHead of [2n, 3n]) {
        const next = followingCallRecords(requests.callRecords, { previousAttestationId: otherHead });
        await expect(attestations.connect(signers.telecomSteward).attest(next))
          .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
          .withArgs(sources.callRecords, 1n, otherHead);
      }
    });

    it("should revert when a batch starts before the end of the source's previous batch", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const next = followingCallRecords(requests.callRecords, { periodStart: day(1) - 1n });
      await expect(attestations.connect(signers.telecomSteward).attest(next))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryPeriodBackwards")
        .withArgs(sources.callRecords, day(1) - 1n, day(1));
    });

    it("should report a stale head before a period going backwards", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const next = followingCallRecords(requests.callRecords, { previousAttestationId: 0n, periodStart: day(0) });
      await expect(attestations.connect(signers.telecomSteward).attest(next))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
        .withArgs(sources.callRecords, 1n, 0n);
    });

    it("should keep each source's periods independent of the others'", async function () {
      const { attestations, signers, sources } = await loadFixture(consortiumScenario);
      const registry = attestations.connect(signers.telecomSteward);
      const late = attestationRequest({
        sourceId: sources.callRecords,
        merkleRoot: ethers.id("late"),
        recordCount: 1,
        periodStart: day(10),
        periodEnd: day(11),
      });
      const early = { ...late, sourceId: sources.cellLocations, periodStart: day(0), periodEnd: day(1) };
      await registry.attest(late);
      await registry.attest(early);
      expect(sourceChainOf(await attestations.getSourceChain(sources.cellLocations)).lastPeriodEnd).to.equal(day(1));
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords)).lastPeriodEnd).to.equal(day(11));
    });

    it("should fold every attestation of a source into its chain digest", async function () {
      const { attestations, signers, sources, requests } = await loadFixture(attestedScenario);
      const registry = attestations.connect(signers.telecomSteward);
      let digest = nextChainDigest(ZeroHash, 1n, requests.callRecords);
      let previous = requests.callRecords;
      for (const id of [4n, 5n, 6n]) {
        const next = followingCallRecords(previous, {
          previousAttestationId: id === 4n ? 1n : id - 1n,
          merkleRoot: ethers.id(`calls ${id}`),
          recordCount: id,
        });
        await registry.attest(next);
        digest = nextChainDigest(digest, id, next);
        previous = next;
      }
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords))).to.deep.equal({
        headAttestationId: 6n,
        chainLength: 4n,
        lastPeriodEnd: previous.periodEnd,
        chainDigest: digest,
      });
      // The other sources' chains are untouched.
      expect(sourceChainOf(await attestations.getSourceChain(sources.cellLocations))).to.deep.equal({
        headAttestationId: 2n,
        chainLength: 1n,
        lastPeriodEnd: day(1),
        chainDigest: nextChainDigest(ZeroHash, 2n, requests.cellLocations),
      });
    });
  });

  describe("revocation", function () {
    it("should let the source's steward revoke, keeping the attestation and the chain", async function () {
      const { attestations, signers, sources } = await loadFixture(attestedScenario);
      const chainBefore = sourceChainOf(await attestations.getSourceChain(sources.callRecords));
      const attestationBefore = attestationOf(await attestations.getAttestation(1));

      await expect(attestations.connect(signers.telecomSteward).revokeAttestation(1, "wrong cell mapping"))
        .to.emit(attestations, "AttestationRevoked")
        .withArgs(1n, sources.callRecords, "wrong cell mapping", signers.telecomSteward.address);

      expect(attestationOf(await attestations.getAttestation(1))).to.deep.equal({
        ...attestationBefore,
        revoked: true,
      });
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords))).to.deep.equal(chainBefore);
      expect(await attestations.attestationCount()).to.equal(3n);
      expect((await attestations.getAttestation(2)).revoked).to.equal(false);
    });

    it("should let governance revoke any attestation", async function () {
      const { attestations, governance, sources } = await loadFixture(attestedScenario);
      await expect(attestations.connect(governance).revokeAttestation(3, "court order"))
        .to.emit(attestations, "AttestationRevoked")
        .withArgs(3n, sources.transfers, "court order", governance.address);
      expect((await attestations.getAttestation(3)).revoked).to.equal(true);
    });

    it("should let governance revoke while the holder's organization is suspended, but not its steward", async function () {
      const { attestations, consortium, governance, signers, organizations, sources } =
        await loadFixture(attestedScenario);
      await consortium.suspendOrganization(organizations.telecomId);
      await expect(attestations.connect(signers.telecomSteward).revokeAttestation(1, "mistake"))
        .to.be.revertedWithCustomError(attestations, "OrganizationInactive")
        .withArgs(organizations.telecomId);
      await expect(attestations.connect(governance).revokeAttestation(1, "mistake"))
        .to.emit(attestations, "AttestationRevoked")
        .withArgs(1n, sources.callRecords, "mistake", governance.address);
    });

    it("should let the steward revoke an attestation of a retired source", async function () {
      const { attestations, dataSources, signers, sources } = await loadFixture(attestedScenario);
      await dataSources.connect(signers.telecomSteward).retireSource(sources.callRecords);
      await expect(attestations.connect(signers.telecomSteward).revokeAttestation(1, "source withdrawn"))
        .to.emit(attestations, "AttestationRevoked")
        .withArgs(1n, sources.callRecords, "source withdrawn", signers.telecomSteward.address);
    });

    it("should revert when an account outside the consortium revokes", async function () {
      const { attestations, signers } = await loadFixture(attestedScenario);
      await expect(attestations.connect(signers.outsider).revokeAttestation(1, "because"))
        .to.be.revertedWithCustomError(attestations, "MemberMissingRole")
        .withArgs(signers.outsider.address, Role.DATA_STEWARD);
    });

    it("should revert when a member without the steward role revokes", async function () {
      const { attestations, signers } = await loadFixture(attestedScenario);
      for (const member of [signers.investigator, signers.telecomAdmin, signers.auditor]) {
        await expect(attestations.connect(member).revokeAttestation(1, "because"))
          .to.be.revertedWithCustomError(attestations, "MemberMissingRole")
          .withArgs(member.address, Role.DATA_STEWARD);
      }
    });

    it("should revert when a steward of another organization revokes", async function () {
      const { attestations, signers, organizations } = await loadFixture(attestedScenario);
      await expect(attestations.connect(signers.bankSteward).revokeAttestation(1, "because"))
        .to.be.revertedWithCustomError(attestations, "AccountNotInOrganization")
        .withArgs(signers.bankSteward.address, organizations.telecomId);
      await expect(attestations.connect(signers.telecomSteward).revokeAttestation(3, "because"))
        .to.be.revertedWithCustomError(attestations, "AccountNotInOrganization")
        .withArgs(signers.telecomSteward.address, organizations.bankId);
    });

    it("should revert when revoking twice", async function () {
      const { attestations, governance, signers } = await loadFixture(attestedScenario);
      await attestations.connect(signers.telecomSteward).revokeAttestation(1, "first");
      for (const revoker of [signers.telecomSteward, governance]) {
        await expect(attestations.connect(revoker).revokeAttestation(1, "again"))
          .to.be.revertedWithCustomError(attestations, "AttestationRegistryAlreadyRevoked")
          .withArgs(1n);
      }
    });

    it("should revert when the reason is empty", async function () {
      const { attestations, signers } = await loadFixture(attestedScenario);
      await expect(attestations.connect(signers.telecomSteward).revokeAttestation(1, ""))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryEmptyReason")
        .withArgs();
    });

    it("should revert when the attestation was never issued", async function () {
      const { attestations, governance } = await loadFixture(attestedScenario);
      for (const id of [0n, 4n, 2n ** 64n - 1n]) {
        await expect(attestations.connect(governance).revokeAttestation(id, "no such thing"))
          .to.be.revertedWithCustomError(attestations, "AttestationRegistryUnknownAttestation")
          .withArgs(id);
      }
    });

    it("should revert while the suite is paused", async function () {
      const { attestations, consortium, governance } = await loadFixture(attestedScenario);
      await consortium.pause();
      await expect(attestations.connect(governance).revokeAttestation(1, "paused"))
        .to.be.revertedWithCustomError(attestations, "EnforcedPause")
        .withArgs();
    });

    it("should keep a revoked attestation as its source's head, so the chain continues from it", async function () {
      const { attestations, signers, sources, organizations, requests } = await loadFixture(attestedScenario);
      await attestations.connect(signers.telecomSteward).revokeAttestation(1, "recount");
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords)).headAttestationId).to.equal(1n);

      const skipping = followingCallRecords(requests.callRecords, { previousAttestationId: 0n });
      await expect(attestations.connect(signers.telecomSteward).attest(skipping))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryStaleHead")
        .withArgs(sources.callRecords, 1n, 0n);

      const next = followingCallRecords(requests.callRecords);
      await expect(attestations.connect(signers.telecomSteward).attest(next))
        .to.emit(attestations, "AttestationRecorded")
        .withArgs(
          4n,
          sources.callRecords,
          organizations.telecomId,
          requestMatching(next),
          nextChainDigest(nextChainDigest(ZeroHash, 1n, requests.callRecords), 4n, next),
          signers.telecomSteward.address,
        );
      expect(sourceChainOf(await attestations.getSourceChain(sources.callRecords))).to.deep.equal({
        headAttestationId: 4n,
        chainLength: 2n,
        lastPeriodEnd: next.periodEnd,
        chainDigest: nextChainDigest(nextChainDigest(ZeroHash, 1n, requests.callRecords), 4n, next),
      });
    });
  });

  describe("verifyRecord", function () {
    it("should return VALID for every record of an attested batch with its library-made proof", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      for (let index = 0; index < CALL_RECORDS.length; index++) {
        const { digest, proof } = proofOf(trees.callTree, index);
        expect(digest).to.equal(recordDigest(CALL_RECORDS[index]));
        expect(await attestations.verifyRecord(1, index, digest, proof)).to.equal(RecordVerification.VALID);
      }
    });

    it("should verify a record whatever the key order it was read with", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      const record = CALL_RECORDS[5] as Record<string, Json>;
      const reordered = Object.fromEntries(Object.entries(record).reverse());
      expect(JSON.stringify(reordered)).to.not.equal(JSON.stringify(record));
      expect(canonicalJson(reordered)).to.equal(
        '{"callee":"+8613900039595","caller":"+8613800000005","cellId":"CELL-0","durationSeconds":85,' +
          '"startedAt":"2024-01-01T05:15:00Z"}',
      );
      expect(await attestations.verifyRecord(1, 5, recordDigest(reordered), trees.callTree.getProof(5))).to.equal(
        RecordVerification.VALID,
      );
    });

    it("should verify a one-record batch, whose root is the leaf itself, with an empty proof", async function () {
      const { attestations, signers, sources } = await loadFixture(consortiumScenario);
      const digest = recordDigest({ subscriber: "+8613800000001", plan: "prepaid" });
      const tree = recordTree([digest]);
      expect(tree.root).to.equal(recordLeafHash(0n, digest));
      await attestations.connect(signers.telecomSteward).attest(
        attestationRequest({
          sourceId: sources.callRecords,
          merkleRoot: tree.root,
          recordCount: 1,
          periodStart: day(0),
          periodEnd: day(1),
        }),
      );
      expect(await attestations.verifyRecord(1, 0, digest, [])).to.equal(RecordVerification.VALID);
      expect(await attestations.verifyRecord(1, 1, digest, [])).to.equal(RecordVerification.INVALID);
    });

    it("should return INVALID for a tampered record", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      const tampered = { ...(CALL_RECORDS[3] as Record<string, Json>), durationSeconds: 9999 };
      const { proof } = proofOf(trees.callTree, 3);
      expect(await attestations.verifyRecord(1, 3, recordDigest(tampered), proof)).to.equal(RecordVerification.INVALID);
      expect(await attestations.verifyRecord(1, 3, flipLastByte(recordDigest(CALL_RECORDS[3])), proof)).to.equal(
        RecordVerification.INVALID,
      );
    });

    it("should return INVALID for a record claimed at another index", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      const { digest, proof } = proofOf(trees.callTree, 3);
      for (const index of [2, 4, 19]) {
        expect(await attestations.verifyRecord(1, index, digest, proof)).to.equal(RecordVerification.INVALID);
      }
    });

    it("should return INVALID for an index at or beyond the record count, even with a valid proof", async function () {
      const { attestations, signers, sources, requests, trees } = await loadFixture(attestedScenario);
      // The same 20-leaf tree, declared as 19 records: leaf 19 is in the tree but not in the batch.
      await attestations
        .connect(signers.telecomSteward)
        .attest(followingCallRecords(requests.callRecords, { merkleRoot: trees.callTree.root, recordCount: 19n }));
      expect((await attestations.getAttestation(4)).sourceId).to.equal(sources.callRecords);
      const last = proofOf(trees.callTree, 19);
      const before = proofOf(trees.callTree, 18);
      expect(await attestations.verifyRecord(1, 19, last.digest, last.proof)).to.equal(RecordVerification.VALID);
      expect(await attestations.verifyRecord(4, 18, before.digest, before.proof)).to.equal(RecordVerification.VALID);
      expect(await attestations.verifyRecord(4, 19, last.digest, last.proof)).to.equal(RecordVerification.INVALID);
      expect(await attestations.verifyRecord(1, 20, last.digest, last.proof)).to.equal(RecordVerification.INVALID);
      expect(await attestations.verifyRecord(1, ethers.MaxUint256, last.digest, last.proof)).to.equal(
        RecordVerification.INVALID,
      );
    });

    it("should return INVALID when any proof element is tampered with", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      const { digest, proof } = proofOf(trees.callTree, 7);
      expect(proof.length).to.be.greaterThan(2);
      for (let position = 0; position < proof.length; position++) {
        const tampered = proof.map((element, at) => (at === position ? flipLastByte(element) : element));
        expect(await attestations.verifyRecord(1, 7, digest, tampered)).to.equal(RecordVerification.INVALID);
      }
    });

    it("should return INVALID for a proof cut short, extended or missing", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      const { digest, proof } = proofOf(trees.callTree, 7);
      expect(await attestations.verifyRecord(1, 7, digest, proof.slice(0, -1))).to.equal(RecordVerification.INVALID);
      expect(await attestations.verifyRecord(1, 7, digest, [...proof, ethers.id("extra")])).to.equal(
        RecordVerification.INVALID,
      );
      expect(await attestations.verifyRecord(1, 7, digest, [])).to.equal(RecordVerification.INVALID);
    });

    it("should return INVALID for a proof from another attested tree", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      for (let index = 0; index < CELL_LOCATIONS.length; index++) {
        const { digest, proof } = proofOf(trees.cellTree, index);
        expect(await attestations.verifyRecord(2, index, digest, proof)).to.equal(RecordVerification.VALID);
        expect(await attestations.verifyRecord(1, index, digest, proof)).to.equal(RecordVerification.INVALID);
      }
    });

    it("should return REVOKED for a valid proof once the attestation is revoked, and INVALID still for a bad one", async function () {
      const { attestations, signers, trees } = await loadFixture(attestedScenario);
      await attestations.connect(signers.telecomSteward).revokeAttestation(1, "recount");
      for (let index = 0; index < CALL_RECORDS.length; index++) {
        const { digest, proof } = proofOf(trees.callTree, index);
        expect(await attestations.verifyRecord(1, index, digest, proof)).to.equal(RecordVerification.REVOKED);
      }
      const { digest, proof } = proofOf(trees.callTree, 0);
      expect(await attestations.verifyRecord(1, 0, flipLastByte(digest), proof)).to.equal(RecordVerification.INVALID);
      expect(await attestations.verifyRecord(1, 20, digest, proof)).to.equal(RecordVerification.INVALID);
      // Another source's attestation is not affected.
      const cell = proofOf(trees.cellTree, 0);
      expect(await attestations.verifyRecord(2, 0, cell.digest, cell.proof)).to.equal(RecordVerification.VALID);
    });

    it("should revert for an attestation never issued", async function () {
      const { attestations, trees } = await loadFixture(attestedScenario);
      const { digest, proof } = proofOf(trees.callTree, 0);
      for (const id of [0n, 4n]) {
        await expect(attestations.verifyRecord(id, 0, digest, proof))
          .to.be.revertedWithCustomError(attestations, "AttestationRegistryUnknownAttestation")
          .withArgs(id);
      }
    });

    it("should verify a record of a 2^20-record batch with a depth-20 proof", async function () {
      const { attestations, signers, sources } = await loadFixture(consortiumScenario);
      const recordCount = 2n ** 20n;
      const index = recordCount - 1n;
      const digest = recordDigest({ caller: "+8613800999999", durationSeconds: 42 });
      // Siblings stand in for the rest of a full tree; OpenZeppelin's sorted-pair hashing folds them into a root.
      const siblings = Array.from({ length: 20 }, (_, level) => ethers.id(`sibling at level ${level}`));
      const root = rootFromProof(recordLeafHash(index, digest), siblings);
      expect(StandardMerkleTree.verify(root, RECORD_LEAF_ENCODING, [index, digest], siblings)).to.equal(true);

      await attestations.connect(signers.telecomSteward).attest(
        attestationRequest({
          sourceId: sources.callRecords,
          merkleRoot: root,
          recordCount,
          periodStart: day(0),
          periodEnd: day(30),
        }),
      );
      expect(await attestations.verifyRecord(1, index, digest, siblings)).to.equal(RecordVerification.VALID);
      expect(await attestations.verifyRecord(1, index, digest, siblings.slice(0, 19))).to.equal(
        RecordVerification.INVALID,
      );
      expect(await attestations.verifyRecord(1, index - 1n, digest, siblings)).to.equal(RecordVerification.INVALID);
    });
  });
});
