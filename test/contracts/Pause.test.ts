import { expect } from "chai";
import { ethers } from "hardhat";
import type { BaseContract, ContractTransactionResponse } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { accessGrantsDomain, signAccessRequest, signEndorsement, type AccessRequest } from "../helpers/eip712";
import { Acknowledgement, DAY, Kind, RequestStatus, Role, consortiumScenario, now, roleMask } from "../helpers/suite";

const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

/**
 * The consortium scenario with one of everything a state-changing function can act on: an attestation, an
 * approved grant with a delivery, pending requests with and without the need for an endorsement, signed
 * request and endorsement ready to relay, a suspended organization, and a pauser that is not governance.
 */
async function busySuite() {
  const scenario = await consortiumScenario();
  const { consortium, attestations, accessGrants, signers, sources } = scenario;
  const [newcomer, waterAdmin, guardian] = (await ethers.getSigners()).slice(13);

  await consortium.registerOrganization(Kind.WATER_UTILITY, "Water Works", "ipfs://dxl/water", waterAdmin.address);
  const waterId = await consortium.organizationCount();
  await consortium.suspendOrganization(waterId);
  await consortium.grantRole(await consortium.PAUSER_ROLE(), guardian.address);

  const start = BigInt(await now());
  const batch = {
    sourceId: sources.callRecords,
    merkleRoot: ethers.id("batch-1"),
    recordCount: 10n,
    periodStart: start - BigInt(DAY),
    periodEnd: start,
    previousAttestationId: 0n,
    dataURI: "ipfs://batches/1",
  };
  await attestations.connect(signers.telecomSteward).attest(batch);
  const attestationId = await attestations.attestationCount();

  const domain = await accessGrantsDomain(accessGrants);
  const request = (sourceId: string, nonce: bigint, caseName: string): AccessRequest => ({
    requester: signers.investigator.address,
    sourceId,
    caseRef: ethers.id(caseName),
    scopeHash: ethers.id(`scope of ${caseName}`),
    purpose: 1,
    notBefore: start,
    notAfter: start + BigInt(30 * DAY),
    maxDeliveries: 3,
    nonce,
    deadline: start + BigInt(DAY),
  });

  const approvedRequest = request(sources.callRecords, 0n, "case-approved");
  await accessGrants.connect(signers.investigator).submitRequest(approvedRequest);
  const approvedId = await accessGrants.requestIdOf(approvedRequest);
  await accessGrants.connect(signers.telecomSteward).approve(approvedId);
  await accessGrants
    .connect(signers.telecomSteward)
    .recordDelivery(approvedId, attestationId, ethers.id("payload-1"), 4);
  const deliveryId = await accessGrants.deliveryCount();

  const pendingRequest = request(sources.callRecords, 1n, "case-pending");
  await accessGrants.connect(signers.investigator).submitRequest(pendingRequest);
  const pendingId = await accessGrants.requestIdOf(pendingRequest);

  const sensitiveRequest = request(sources.cellLocations, 2n, "case-sensitive");
  await accessGrants.connect(signers.investigator).submitRequest(sensitiveRequest);
  const sensitiveId = await accessGrants.requestIdOf(sensitiveRequest);
  const endorsement = {
    requestHash: await accessGrants.hashAccessRequest(sensitiveRequest),
    supervisor: signers.supervisor.address,
    deadline: start + BigInt(DAY),
  };
  const endorsementSignature = await signEndorsement(signers.supervisor, domain, endorsement);

  const unsubmittedRequest = request(sources.callRecords, 3n, "case-new");
  const unsubmittedSignature = await signAccessRequest(signers.investigator, domain, unsubmittedRequest);

  return {
    ...scenario,
    newcomer,
    guardian,
    waterId,
    start,
    batch,
    attestationId,
    approvedId,
    deliveryId,
    pendingId,
    sensitiveId,
    endorsement,
    endorsementSignature,
    unsubmittedRequest,
    unsubmittedSignature,
  };
}

type Suite = Awaited<ReturnType<typeof busySuite>>;

async function pausedSuite() {
  const suite = await busySuite();
  await suite.consortium.pause();
  return suite;
}

async function unpausedAgainSuite() {
  const suite = await pausedSuite();
  await suite.consortium.unpause();
  return suite;
}

type StateChange = {
  name: string;
  contract: (suite: Suite) => BaseContract;
  /** The event the call emits when it goes through. */
  event: string;
  /** A call that succeeds when the suite is not paused. */
  call: (suite: Suite) => Promise<ContractTransactionResponse>;
};

const STATE_CHANGES: StateChange[] = [
  {
    name: "Consortium.registerOrganization",
    contract: (s) => s.consortium,
    event: "OrganizationRegistered",
    call: (s) => s.consortium.registerOrganization(Kind.MUNICIPAL, "City Hall", "", s.newcomer.address),
  },
  {
    name: "Consortium.suspendOrganization",
    contract: (s) => s.consortium,
    event: "OrganizationSuspended",
    call: (s) => s.consortium.suspendOrganization(s.organizations.bankId),
  },
  {
    name: "Consortium.reinstateOrganization",
    contract: (s) => s.consortium,
    event: "OrganizationReinstated",
    call: (s) => s.consortium.reinstateOrganization(s.waterId),
  },
  {
    name: "Consortium.addMember",
    contract: (s) => s.consortium,
    event: "MemberAdded",
    call: (s) =>
      s.consortium
        .connect(s.signers.telecomAdmin)
        .addMember(s.organizations.telecomId, s.newcomer.address, roleMask(Role.DATA_STEWARD)),
  },
  {
    name: "Consortium.setMemberRoles",
    contract: (s) => s.consortium,
    event: "MemberRolesUpdated",
    call: (s) =>
      s.consortium
        .connect(s.signers.telecomAdmin)
        .setMemberRoles(s.signers.telecomSteward.address, roleMask(Role.DATA_STEWARD, Role.AUDITOR)),
  },
  {
    name: "Consortium.removeMember",
    contract: (s) => s.consortium,
    event: "MemberRemoved",
    call: (s) => s.consortium.connect(s.signers.bureauAdmin).removeMember(s.signers.secondInvestigator.address),
  },
  {
    name: "DataSourceRegistry.registerSource",
    contract: (s) => s.dataSources,
    event: "DataSourceRegistered",
    call: (s) =>
      s.dataSources.connect(s.signers.telecomSteward).registerSource("subscribers", ethers.id("schema"), "", 1, false),
  },
  {
    name: "DataSourceRegistry.updateSchema",
    contract: (s) => s.dataSources,
    event: "DataSourceSchemaUpdated",
    call: (s) =>
      s.dataSources.connect(s.signers.telecomSteward).updateSchema(s.sources.callRecords, ethers.id("schema 2"), ""),
  },
  {
    name: "DataSourceRegistry.retireSource",
    contract: (s) => s.dataSources,
    event: "DataSourceRetired",
    call: (s) => s.dataSources.connect(s.signers.bankSteward).retireSource(s.sources.transfers),
  },
  {
    name: "AttestationRegistry.attest",
    contract: (s) => s.attestations,
    event: "AttestationRecorded",
    call: (s) =>
      s.attestations.connect(s.signers.telecomSteward).attest({
        ...s.batch,
        merkleRoot: ethers.id("batch-2"),
        periodStart: s.batch.periodEnd,
        periodEnd: s.batch.periodEnd + BigInt(DAY),
        previousAttestationId: s.attestationId,
      }),
  },
  {
    name: "AttestationRegistry.attestBatch",
    contract: (s) => s.attestations,
    event: "AttestationRecorded",
    call: (s) =>
      s.attestations.connect(s.signers.telecomSteward).attestBatch([
        { ...s.batch, sourceId: s.sources.cellLocations, merkleRoot: ethers.id("cells-1") },
        {
          ...s.batch,
          merkleRoot: ethers.id("batch-2"),
          periodStart: s.batch.periodEnd,
          periodEnd: s.batch.periodEnd + BigInt(DAY),
          previousAttestationId: s.attestationId,
        },
      ]),
  },
  {
    name: "AttestationRegistry.revokeAttestation",
    contract: (s) => s.attestations,
    event: "AttestationRevoked",
    call: (s) => s.attestations.connect(s.signers.telecomSteward).revokeAttestation(s.attestationId, "wrong batch"),
  },
  {
    name: "AccessGrants.submitRequest",
    contract: (s) => s.accessGrants,
    event: "AccessRequested",
    call: (s) => s.accessGrants.connect(s.signers.investigator).submitRequest(s.unsubmittedRequest),
  },
  {
    name: "AccessGrants.submitSignedRequest",
    contract: (s) => s.accessGrants,
    event: "AccessRequested",
    call: (s) =>
      s.accessGrants.connect(s.signers.relayer).submitSignedRequest(s.unsubmittedRequest, s.unsubmittedSignature),
  },
  {
    name: "AccessGrants.endorse",
    contract: (s) => s.accessGrants,
    event: "RequestEndorsed",
    call: (s) => s.accessGrants.connect(s.signers.supervisor).endorse(s.sensitiveId),
  },
  {
    name: "AccessGrants.endorseBySignature",
    contract: (s) => s.accessGrants,
    event: "RequestEndorsed",
    call: (s) => s.accessGrants.connect(s.signers.relayer).endorseBySignature(s.endorsement, s.endorsementSignature),
  },
  {
    name: "AccessGrants.approve",
    contract: (s) => s.accessGrants,
    event: "RequestApproved",
    call: (s) => s.accessGrants.connect(s.signers.telecomSteward).approve(s.pendingId),
  },
  {
    name: "AccessGrants.reject",
    contract: (s) => s.accessGrants,
    event: "RequestRejected",
    call: (s) => s.accessGrants.connect(s.signers.telecomSteward).reject(s.pendingId, 3),
  },
  {
    name: "AccessGrants.revoke",
    contract: (s) => s.accessGrants,
    event: "GrantRevoked",
    call: (s) => s.accessGrants.connect(s.signers.investigator).revoke(s.approvedId, 9),
  },
  {
    name: "AccessGrants.recordDelivery",
    contract: (s) => s.accessGrants,
    event: "DeliveryRecorded",
    call: (s) =>
      s.accessGrants
        .connect(s.signers.telecomSteward)
        .recordDelivery(s.approvedId, s.attestationId, ethers.id("payload-2"), 2),
  },
  {
    name: "AccessGrants.acknowledgeDelivery",
    contract: (s) => s.accessGrants,
    event: "DeliveryAcknowledged",
    call: (s) =>
      s.accessGrants.connect(s.signers.investigator).acknowledgeDelivery(s.deliveryId, Acknowledgement.ACCEPTED, 0),
  },
  {
    name: "AccessGrants.increaseNonce",
    contract: (s) => s.accessGrants,
    event: "NonceIncreased",
    call: (s) => s.accessGrants.connect(s.signers.investigator).increaseNonce(10),
  },
  {
    name: "AccessGrants.setMaxGrantDuration",
    contract: (s) => s.accessGrants,
    event: "MaxGrantDurationUpdated",
    call: (s) => s.accessGrants.setMaxGrantDuration(30 * DAY),
  },
];

/**
 * State-changing functions the pause deliberately leaves alone: the pause switch itself, and OpenZeppelin's
 * role and governance-handover administration, which governance may need during an emergency.
 */
const NOT_PAUSED = new Set([
  "Consortium.pause",
  "Consortium.unpause",
  "Consortium.grantRole",
  "Consortium.revokeRole",
  "Consortium.renounceRole",
  "Consortium.beginDefaultAdminTransfer",
  "Consortium.cancelDefaultAdminTransfer",
  "Consortium.acceptDefaultAdminTransfer",
  "Consortium.changeDefaultAdminDelay",
  "Consortium.rollbackDefaultAdminDelay",
]);

describe("Pause", function () {
  describe("pausing and unpausing", function () {
    it("should let governance pause, emitting Paused", async function () {
      const { consortium, governance } = await loadFixture(busySuite);
      await expect(consortium.pause()).to.emit(consortium, "Paused").withArgs(governance.address);
      expect(await consortium.paused()).to.equal(true);
    });

    it("should let a PAUSER_ROLE holder that is not governance pause", async function () {
      const { consortium, guardian } = await loadFixture(busySuite);
      expect(await consortium.isGovernance(guardian.address)).to.equal(false);
      await expect(consortium.connect(guardian).pause()).to.emit(consortium, "Paused").withArgs(guardian.address);
      expect(await consortium.paused()).to.equal(true);
    });

    for (const who of ["telecomAdmin", "auditor", "outsider"] as const) {
      it(`should refuse pause from ${who}, who lacks PAUSER_ROLE`, async function () {
        const { consortium, signers } = await loadFixture(busySuite);
        const account = signers[who];
        await expect(consortium.connect(account).pause())
          .to.be.revertedWithCustomError(consortium, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, await consortium.PAUSER_ROLE());
        expect(await consortium.paused()).to.equal(false);
      });
    }

    it("should reject pausing twice", async function () {
      const { consortium, guardian } = await loadFixture(pausedSuite);
      await expect(consortium.connect(guardian).pause()).to.be.revertedWithCustomError(consortium, "EnforcedPause");
    });

    it("should let governance unpause, emitting Unpaused", async function () {
      const { consortium, governance } = await loadFixture(pausedSuite);
      await expect(consortium.unpause()).to.emit(consortium, "Unpaused").withArgs(governance.address);
      expect(await consortium.paused()).to.equal(false);
    });

    it("should refuse unpause from a pauser that is not governance", async function () {
      const { consortium, guardian } = await loadFixture(pausedSuite);
      await expect(consortium.connect(guardian).unpause())
        .to.be.revertedWithCustomError(consortium, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, DEFAULT_ADMIN_ROLE);
      expect(await consortium.paused()).to.equal(true);
    });

    for (const who of ["telecomAdmin", "outsider"] as const) {
      it(`should refuse unpause from ${who}`, async function () {
        const { consortium, signers } = await loadFixture(pausedSuite);
        const account = signers[who];
        await expect(consortium.connect(account).unpause())
          .to.be.revertedWithCustomError(consortium, "AccessControlUnauthorizedAccount")
          .withArgs(account.address, DEFAULT_ADMIN_ROLE);
      });
    }

    it("should reject unpausing when not paused", async function () {
      const { consortium } = await loadFixture(busySuite);
      await expect(consortium.unpause()).to.be.revertedWithCustomError(consortium, "ExpectedPause");
    });
  });

  describe("coverage of the table", function () {
    it("should name every state-changing function of the four contracts, or say why it is not paused", async function () {
      const suite = await loadFixture(busySuite);
      const contracts = {
        Consortium: suite.consortium,
        DataSourceRegistry: suite.dataSources,
        AttestationRegistry: suite.attestations,
        AccessGrants: suite.accessGrants,
      };
      const stateChanging: string[] = [];
      for (const [name, contract] of Object.entries(contracts)) {
        contract.interface.forEachFunction((fragment) => {
          if (!fragment.constant) stateChanging.push(`${name}.${fragment.name}`);
        });
      }
      const tabled = STATE_CHANGES.map((change) => change.name);
      expect(new Set(tabled).size).to.equal(tabled.length);
      expect([...tabled, ...NOT_PAUSED].sort()).to.deep.equal(stateChanging.sort());
    });
  });

  describe("while paused", function () {
    for (const change of STATE_CHANGES) {
      it(`should revert ${change.name} with EnforcedPause`, async function () {
        const suite = await loadFixture(pausedSuite);
        await expect(change.call(suite)).to.be.revertedWithCustomError(change.contract(suite), "EnforcedPause");
      });
    }

    it("should keep the Consortium's views working", async function () {
      const { consortium, organizations, signers, waterId } = await loadFixture(pausedSuite);
      expect(await consortium.paused()).to.equal(true);
      expect(await consortium.organizationCount()).to.equal(waterId);
      expect((await consortium.getOrganization(organizations.telecomId)).name).to.equal("Metro Telecom");
      expect(await consortium.isOrganizationActive(organizations.telecomId)).to.equal(true);
      expect(await consortium.isOrganizationActive(waterId)).to.equal(false);
      const member = await consortium.membership(signers.telecomSteward.address);
      expect(member.organizationId).to.equal(organizations.telecomId);
      expect(member.roles).to.equal(roleMask(Role.DATA_STEWARD));
      expect(await consortium.hasMemberRole(signers.investigator.address, Role.INVESTIGATOR)).to.equal(true);
      expect(await consortium.roleHolderCount(organizations.bureauId, Role.SUPERVISOR)).to.equal(2n);
      expect(await consortium.roleHolderAt(organizations.bureauId, Role.ORG_ADMIN, 0)).to.equal(
        signers.bureauAdmin.address,
      );
      expect(await consortium.isGovernance(signers.outsider.address)).to.equal(false);
      expect(await consortium.version()).to.equal("1.0.0");
    });

    it("should keep the DataSourceRegistry's views working", async function () {
      const { dataSources, organizations, sources } = await loadFixture(pausedSuite);
      const source = await dataSources.getSource(sources.callRecords);
      expect(source.organizationId).to.equal(organizations.telecomId);
      expect(source.schemaVersion).to.equal(1n);
      expect(source.retired).to.equal(false);
      expect(await dataSources.sourceIdOf(organizations.bankId, "transfers")).to.equal(sources.transfers);
    });

    it("should keep the AttestationRegistry's views working", async function () {
      const { attestations, attestationId, batch, sources } = await loadFixture(pausedSuite);
      expect(await attestations.attestationCount()).to.equal(attestationId);
      const attestation = await attestations.getAttestation(attestationId);
      expect(attestation.merkleRoot).to.equal(batch.merkleRoot);
      expect(attestation.recordCount).to.equal(batch.recordCount);
      expect(attestation.revoked).to.equal(false);
      const { headAttestationId, chainLength, lastPeriodEnd } = await attestations.getSourceChain(sources.callRecords);
      expect(headAttestationId).to.equal(attestationId);
      expect(chainLength).to.equal(1n);
      expect(lastPeriodEnd).to.equal(batch.periodEnd);
    });

    it("should keep the AccessGrants views working", async function () {
      const { accessGrants, approvedId, pendingId, deliveryId, signers } = await loadFixture(pausedSuite);
      const grant = await accessGrants.getGrant(approvedId);
      expect(grant.status).to.equal(RequestStatus.APPROVED);
      expect(grant.deliveryCount).to.equal(1n);
      expect((await accessGrants.getGrant(pendingId)).status).to.equal(RequestStatus.PENDING);
      expect(await accessGrants.isGrantUsable(approvedId)).to.equal(true);
      expect(await accessGrants.deliveryCount()).to.equal(deliveryId);
      const delivery = await accessGrants.getDelivery(deliveryId);
      expect(delivery.requestId).to.equal(approvedId);
      expect(delivery.acknowledgement).to.equal(Acknowledgement.NONE);
      expect(await accessGrants.nonces(signers.investigator.address)).to.equal(3n);
      expect(await accessGrants.maxGrantDuration()).to.equal(90n * BigInt(DAY));
    });

    it("should still let governance manage roles", async function () {
      const { consortium, governance, newcomer } = await loadFixture(pausedSuite);
      const pauserRole = await consortium.PAUSER_ROLE();
      await expect(consortium.grantRole(pauserRole, newcomer.address))
        .to.emit(consortium, "RoleGranted")
        .withArgs(pauserRole, newcomer.address, governance.address);
    });
  });

  describe("after unpause", function () {
    for (const change of STATE_CHANGES) {
      it(`should run ${change.name} again`, async function () {
        const suite = await loadFixture(unpausedAgainSuite);
        await expect(change.call(suite)).to.emit(change.contract(suite), change.event);
      });
    }
  });
});
