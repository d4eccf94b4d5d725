import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { AccessGrants } from "../../typechain-types";
import { ACCESS_REQUEST_TYPES, accessGrantsDomain, signAccessRequest, signEndorsement } from "../helpers/eip712";
import {
  ATTESTED_RECORD_COUNT,
  attestedScenario,
  buildAccessRequest,
  HOUR,
  isAccessRequest,
  submitAccessRequest,
} from "../helpers/requests";
import type { AccessRequestValues, AttestedScenario } from "../helpers/requests";
import { Acknowledgement, DAY, RequestStatus, Role, roleMask } from "../helpers/suite";

const PAYLOAD_HASH = ethers.id("payload:call-records:delivery");
const MAX_GRANT_DURATION = 90 * DAY;

async function pendingRequestFixture() {
  const scenario = await attestedScenario();
  return { ...scenario, ...(await submitAccessRequest(scenario)) };
}

async function approvedGrantFixture() {
  const scenario = await pendingRequestFixture();
  await scenario.accessGrants.connect(scenario.signers.telecomSteward).approve(scenario.requestId);
  return scenario;
}

async function deliveredFixture() {
  const scenario = await approvedGrantFixture();
  await scenario.accessGrants
    .connect(scenario.signers.telecomSteward)
    .recordDelivery(scenario.requestId, scenario.attestation.id, PAYLOAD_HASH, 10);
  return { ...scenario, deliveryId: 1n };
}

/** A pending request for bank transfers: tier 3, so approval waits for an endorsement. */
async function pendingTransfersFixture() {
  const scenario = await attestedScenario();
  return { ...scenario, ...(await submitAccessRequest(scenario, { sourceId: scenario.sources.transfers })) };
}

type PendingRequest = Awaited<ReturnType<typeof pendingRequestFixture>>;

/** The stored grant as a plain object, to compare with {expectedGrant}. */
async function readGrant(accessGrants: AccessGrants, requestId: string) {
  const grant = await accessGrants.getGrant(requestId);
  return {
    requester: grant.requester,
    requesterOrganizationId: grant.requesterOrganizationId,
    maxDeliveries: grant.maxDeliveries,
    sourceId: grant.sourceId,
    holderOrganizationId: grant.holderOrganizationId,
    notBefore: grant.notBefore,
    notAfter: grant.notAfter,
    deliveryCount: grant.deliveryCount,
    status: grant.status,
    endorsementRequired: grant.endorsementRequired,
    endorsed: grant.endorsed,
  };
}

type StoredGrant = Awaited<ReturnType<typeof readGrant>>;

/** What a freshly submitted request of the bureau stores, with `changes` applied. */
function expectedGrant(
  scenario: AttestedScenario,
  request: AccessRequestValues,
  holderOrganizationId: bigint,
  changes: Partial<StoredGrant> = {},
): StoredGrant {
  return {
    requester: request.requester,
    requesterOrganizationId: scenario.organizations.bureauId,
    maxDeliveries: BigInt(request.maxDeliveries),
    sourceId: request.sourceId,
    holderOrganizationId,
    notBefore: BigInt(request.notBefore),
    notAfter: BigInt(request.notAfter),
    deliveryCount: 0n,
    status: BigInt(RequestStatus.PENDING),
    endorsementRequired: false,
    endorsed: false,
    ...changes,
  };
}

/** Sends a telecom request of the investigator and checks its AccessRequested event, stored grant and nonce. */
async function expectStoredAsPending(
  scenario: AttestedScenario,
  request: AccessRequestValues,
  requestId: string,
  submitter: HardhatEthersSigner,
  send: () => Promise<unknown>,
) {
  const { accessGrants, signers, organizations } = scenario;
  await expect(send())
    .to.emit(accessGrants, "AccessRequested")
    .withArgs(
      requestId,
      signers.investigator.address,
      request.caseRef,
      isAccessRequest(request),
      organizations.bureauId,
      organizations.telecomId,
      false,
      submitter.address,
    );
  expect(await readGrant(accessGrants, requestId)).to.deep.equal(
    expectedGrant(scenario, request, organizations.telecomId),
  );
  expect(await accessGrants.nonces(signers.investigator.address)).to.equal(1n);
}

describe("AccessGrants", function () {
  describe("wiring", function () {
    it("should name the consortium and the registries it reads", async function () {
      const { accessGrants, consortium, dataSources, attestations } = await loadFixture(attestedScenario);
      expect(await accessGrants.consortium()).to.equal(await consortium.getAddress());
      expect(await accessGrants.dataSources()).to.equal(await dataSources.getAddress());
      expect(await accessGrants.attestations()).to.equal(await attestations.getAddress());
    });
  });

  describe("submitting requests", function () {
    it("should store a request submitted by its requester as pending and emit AccessRequested", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, signers } = scenario;
      const request = await buildAccessRequest(scenario);
      const domain = await accessGrantsDomain(accessGrants);
      const requestId = ethers.TypedDataEncoder.hash(domain, ACCESS_REQUEST_TYPES, request);

      expect(await accessGrants.requestIdOf(request)).to.equal(requestId);
      expect(await accessGrants.connect(signers.investigator).submitRequest.staticCall(request)).to.equal(requestId);
      await expectStoredAsPending(scenario, request, requestId, signers.investigator, () =>
        accessGrants.connect(signers.investigator).submitRequest(request),
      );
    });

    it("should store a request relayed with its requester's signature and name the relayer as submitter", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, signers } = scenario;
      const request = await buildAccessRequest(scenario);
      const domain = await accessGrantsDomain(accessGrants);
      const requestId = ethers.TypedDataEncoder.hash(domain, ACCESS_REQUEST_TYPES, request);
      const signature = await signAccessRequest(signers.investigator, domain, request);

      expect(await accessGrants.requestIdOf(request)).to.equal(requestId);
      expect(await accessGrants.connect(signers.relayer).submitSignedRequest.staticCall(request, signature)).to.equal(
        requestId,
      );
      await expectStoredAsPending(scenario, request, requestId, signers.relayer, () =>
        accessGrants.connect(signers.relayer).submitSignedRequest(request, signature),
      );
    });

    it("should hash a request as its EIP-712 struct hash", async function () {
      const scenario = await loadFixture(attestedScenario);
      const request = await buildAccessRequest(scenario);
      expect(await scenario.accessGrants.hashAccessRequest(request)).to.equal(
        ethers.TypedDataEncoder.hashStruct("AccessRequest", ACCESS_REQUEST_TYPES, request),
      );
    });

    it("should require an endorsement for a source registered as needing one", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, signers, organizations, sources } = scenario;
      const request = await buildAccessRequest(scenario, { sourceId: sources.transfers });
      const requestId = await accessGrants.requestIdOf(request);

      await expect(accessGrants.connect(signers.investigator).submitRequest(request))
        .to.emit(accessGrants, "AccessRequested")
        .withArgs(
          requestId,
          signers.investigator.address,
          request.caseRef,
          isAccessRequest(request),
          organizations.bureauId,
          organizations.bankId,
          true,
          signers.investigator.address,
        );
      expect(await readGrant(accessGrants, requestId)).to.deep.equal(
        expectedGrant(scenario, request, organizations.bankId, { endorsementRequired: true }),
      );
    });

    it("should require an endorsement for a source whose sensitivity forces one", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, signers, organizations, sources } = scenario;
      const request = await buildAccessRequest(scenario, { sourceId: sources.cellLocations });
      const requestId = await accessGrants.requestIdOf(request);

      await expect(accessGrants.connect(signers.investigator).submitRequest(request))
        .to.emit(accessGrants, "AccessRequested")
        .withArgs(
          requestId,
          signers.investigator.address,
          request.caseRef,
          isAccessRequest(request),
          organizations.bureauId,
          organizations.telecomId,
          true,
          signers.investigator.address,
        );
      expect((await accessGrants.getGrant(requestId)).endorsementRequired).to.equal(true);
    });

    it("should revert when someone other than the requester submits a request directly", async function () {
      const scenario = await loadFixture(attestedScenario);
      const request = await buildAccessRequest(scenario);
      await expect(scenario.accessGrants.connect(scenario.signers.relayer).submitRequest(request))
        .to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsUnauthorizedAccount")
        .withArgs(scenario.signers.relayer.address);
    });

    it("should revert when the same request is submitted twice", async function () {
      const { accessGrants, signers, request, requestId } = await loadFixture(pendingRequestFixture);
      await expect(accessGrants.connect(signers.investigator).submitRequest(request))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsRequestAlreadySubmitted")
        .withArgs(requestId);
    });

    it("should revert when a request is submitted directly after its deadline", async function () {
      const scenario = await loadFixture(attestedScenario);
      const request = await buildAccessRequest(scenario);
      await time.setNextBlockTimestamp(request.deadline + 1);
      await expect(scenario.accessGrants.connect(scenario.signers.investigator).submitRequest(request))
        .to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsSignatureExpired")
        .withArgs(request.deadline);
    });
  });

  describe("requester rules", function () {
    it("should revert when the requester is not an INVESTIGATOR", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { supervisor } = scenario.signers;
      const request = await buildAccessRequest(scenario, { requester: supervisor.address });
      await expect(scenario.accessGrants.connect(supervisor).submitRequest(request))
        .to.be.revertedWithCustomError(scenario.accessGrants, "MemberMissingRole")
        .withArgs(supervisor.address, Role.INVESTIGATOR);
    });

    it("should revert when the requester belongs to no organization", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { outsider } = scenario.signers;
      const request = await buildAccessRequest(scenario, { requester: outsider.address });
      await expect(scenario.accessGrants.connect(outsider).submitRequest(request))
        .to.be.revertedWithCustomError(scenario.accessGrants, "MemberMissingRole")
        .withArgs(outsider.address, Role.INVESTIGATOR);
    });

    it("should revert when the requester is an INVESTIGATOR of an organization that is not PUBLIC_SECURITY", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { consortium, accessGrants, organizations } = scenario;
      const { telecomAdmin, outsider } = scenario.signers;
      await consortium
        .connect(telecomAdmin)
        .addMember(organizations.telecomId, outsider.address, roleMask(Role.INVESTIGATOR));
      const request = await buildAccessRequest(scenario, { requester: outsider.address });
      await expect(accessGrants.connect(outsider).submitRequest(request))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsRequesterNotPublicSecurity")
        .withArgs(organizations.telecomId);
    });

    it("should revert when the requester's organization is suspended", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { consortium, accessGrants, organizations, signers } = scenario;
      await consortium.suspendOrganization(organizations.bureauId);
      const request = await buildAccessRequest(scenario);
      await expect(accessGrants.connect(signers.investigator).submitRequest(request))
        .to.be.revertedWithCustomError(accessGrants, "OrganizationInactive")
        .withArgs(organizations.bureauId);
    });
  });

  describe("request rules", function () {
    const invalidWindows: { name: string; window: (start: number) => { notBefore: number; notAfter: number } }[] = [
      { name: "ends when it starts", window: (start) => ({ notBefore: start + DAY, notAfter: start + DAY }) },
      { name: "ends before it starts", window: (start) => ({ notBefore: start + 2 * DAY, notAfter: start + DAY }) },
      { name: "is already over", window: (start) => ({ notBefore: start - 2 * DAY, notAfter: start - DAY }) },
    ];
    for (const { name, window } of invalidWindows) {
      it(`should revert when the request window ${name}`, async function () {
        const scenario = await loadFixture(attestedScenario);
        const { notBefore, notAfter } = window(await time.latest());
        const request = await buildAccessRequest(scenario, { notBefore, notAfter });
        await expect(scenario.accessGrants.connect(scenario.signers.investigator).submitRequest(request))
          .to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsInvalidWindow")
          .withArgs(notBefore, notAfter);
      });
    }

    it("should revert when the request window is longer than the maximum grant duration", async function () {
      const scenario = await loadFixture(attestedScenario);
      const start = await time.latest();
      const request = await buildAccessRequest(scenario, {
        notBefore: start,
        notAfter: start + MAX_GRANT_DURATION + 1,
      });
      expect(await scenario.accessGrants.maxGrantDuration()).to.equal(MAX_GRANT_DURATION);
      await expect(scenario.accessGrants.connect(scenario.signers.investigator).submitRequest(request))
        .to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsWindowTooLong")
        .withArgs(MAX_GRANT_DURATION + 1, MAX_GRANT_DURATION);
    });

    it("should accept a request window exactly as long as the maximum grant duration", async function () {
      const scenario = await loadFixture(attestedScenario);
      const start = await time.latest();
      const request = await buildAccessRequest(scenario, { notBefore: start, notAfter: start + MAX_GRANT_DURATION });
      await expect(scenario.accessGrants.connect(scenario.signers.investigator).submitRequest(request)).to.emit(
        scenario.accessGrants,
        "AccessRequested",
      );
    });

    it("should revert when a request allows no delivery", async function () {
      const scenario = await loadFixture(attestedScenario);
      const request = await buildAccessRequest(scenario, { maxDeliveries: 0 });
      await expect(
        scenario.accessGrants.connect(scenario.signers.investigator).submitRequest(request),
      ).to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsInvalidMaxDeliveries");
    });

    it("should revert when the source is retired", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { dataSources, accessGrants, sources, signers } = scenario;
      await dataSources.connect(signers.telecomSteward).retireSource(sources.callRecords);
      const request = await buildAccessRequest(scenario);
      await expect(accessGrants.connect(signers.investigator).submitRequest(request))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistrySourceRetired")
        .withArgs(sources.callRecords);
    });

    it("should revert when the source is unknown", async function () {
      const scenario = await loadFixture(attestedScenario);
      const unknownSource = ethers.id("source:unknown");
      const request = await buildAccessRequest(scenario, { sourceId: unknownSource });
      await expect(scenario.accessGrants.connect(scenario.signers.investigator).submitRequest(request))
        .to.be.revertedWithCustomError(scenario.dataSources, "DataSourceRegistryUnknownSource")
        .withArgs(unknownSource);
    });
  });

  describe("maximum grant duration", function () {
    it("should let governance change the maximum grant duration and apply it to new requests", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, governance, signers } = scenario;
      await expect(accessGrants.connect(governance).setMaxGrantDuration(30 * DAY))
        .to.emit(accessGrants, "MaxGrantDurationUpdated")
        .withArgs(MAX_GRANT_DURATION, 30 * DAY, governance.address);
      expect(await accessGrants.maxGrantDuration()).to.equal(30 * DAY);

      const start = await time.latest();
      const request = await buildAccessRequest(scenario, { notBefore: start, notAfter: start + 31 * DAY });
      await expect(accessGrants.connect(signers.investigator).submitRequest(request))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsWindowTooLong")
        .withArgs(31 * DAY, 30 * DAY);
    });

    it("should revert when anyone but governance sets the maximum grant duration", async function () {
      const { accessGrants, signers } = await loadFixture(attestedScenario);
      for (const account of [signers.outsider, signers.bureauAdmin, signers.auditor]) {
        await expect(accessGrants.connect(account).setMaxGrantDuration(30 * DAY))
          .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnauthorizedAccount")
          .withArgs(account.address);
      }
    });

    it("should revert when the maximum grant duration is set to zero", async function () {
      const { accessGrants, governance } = await loadFixture(attestedScenario);
      await expect(accessGrants.connect(governance).setMaxGrantDuration(0))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidMaxGrantDuration")
        .withArgs(0);
    });
  });

  describe("endorsement", function () {
    it("should let a SUPERVISOR of the requester's organization endorse directly", async function () {
      const scenario = await loadFixture(pendingTransfersFixture);
      const { accessGrants, signers, requestId, request, organizations } = scenario;
      await expect(accessGrants.connect(signers.supervisor).endorse(requestId))
        .to.emit(accessGrants, "RequestEndorsed")
        .withArgs(requestId, signers.supervisor.address, false, signers.supervisor.address);
      expect(await readGrant(accessGrants, requestId)).to.deep.equal(
        expectedGrant(scenario, request, organizations.bankId, { endorsementRequired: true, endorsed: true }),
      );
    });

    it("should accept a supervisor's signed endorsement relayed by anyone", async function () {
      const { accessGrants, signers, requestId, request } = await loadFixture(pendingTransfersFixture);
      const endorsement = {
        requestHash: await accessGrants.hashAccessRequest(request),
        supervisor: signers.supervisor.address,
        deadline: (await time.latest()) + HOUR,
      };
      const signature = await signEndorsement(signers.supervisor, await accessGrantsDomain(accessGrants), endorsement);
      await expect(accessGrants.connect(signers.relayer).endorseBySignature(endorsement, signature))
        .to.emit(accessGrants, "RequestEndorsed")
        .withArgs(requestId, signers.supervisor.address, true, signers.relayer.address);
      expect((await accessGrants.getGrant(requestId)).endorsed).to.equal(true);
    });

    it("should let an INVESTIGATOR who is also a SUPERVISOR endorse another investigator's request", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingTransfersFixture);
      await expect(accessGrants.connect(signers.secondInvestigator).endorse(requestId))
        .to.emit(accessGrants, "RequestEndorsed")
        .withArgs(requestId, signers.secondInvestigator.address, false, signers.secondInvestigator.address);
    });

    it("should revert when a supervisor endorses its own request (two-person rule)", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, signers, sources } = scenario;
      const { requestId } = await submitAccessRequest(
        scenario,
        { sourceId: sources.transfers },
        signers.secondInvestigator,
      );
      await expect(accessGrants.connect(signers.secondInvestigator).endorse(requestId))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsSelfEndorsement")
        .withArgs(signers.secondInvestigator.address);
    });

    it("should revert when a supervisor endorses its own request by signature (two-person rule)", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, signers, sources } = scenario;
      const { request } = await submitAccessRequest(
        scenario,
        { sourceId: sources.transfers },
        signers.secondInvestigator,
      );
      const endorsement = {
        requestHash: await accessGrants.hashAccessRequest(request),
        supervisor: signers.secondInvestigator.address,
        deadline: (await time.latest()) + HOUR,
      };
      const signature = await signEndorsement(
        signers.secondInvestigator,
        await accessGrantsDomain(accessGrants),
        endorsement,
      );
      await expect(accessGrants.connect(signers.relayer).endorseBySignature(endorsement, signature))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsSelfEndorsement")
        .withArgs(signers.secondInvestigator.address);
    });

    it("should revert when a SUPERVISOR of another organization endorses", async function () {
      const { accessGrants, consortium, signers, organizations, requestId } =
        await loadFixture(pendingTransfersFixture);
      await consortium
        .connect(signers.oversightAdmin)
        .addMember(organizations.oversightId, signers.outsider.address, roleMask(Role.SUPERVISOR));
      await expect(accessGrants.connect(signers.outsider).endorse(requestId))
        .to.be.revertedWithCustomError(accessGrants, "AccountNotInOrganization")
        .withArgs(signers.outsider.address, organizations.bureauId);
    });

    it("should revert when an account without the SUPERVISOR role endorses", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingTransfersFixture);
      for (const account of [signers.bureauAdmin, signers.auditor, signers.outsider]) {
        await expect(accessGrants.connect(account).endorse(requestId))
          .to.be.revertedWithCustomError(accessGrants, "MemberMissingRole")
          .withArgs(account.address, Role.SUPERVISOR);
      }
    });

    it("should revert when the supervisor's organization is suspended", async function () {
      const { accessGrants, consortium, signers, organizations, requestId } =
        await loadFixture(pendingTransfersFixture);
      await consortium.suspendOrganization(organizations.bureauId);
      await expect(accessGrants.connect(signers.supervisor).endorse(requestId))
        .to.be.revertedWithCustomError(accessGrants, "OrganizationInactive")
        .withArgs(organizations.bureauId);
    });

    it("should revert when a request is endorsed a second time", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingTransfersFixture);
      await accessGrants.connect(signers.supervisor).endorse(requestId);
      await expect(accessGrants.connect(signers.secondInvestigator).endorse(requestId))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsAlreadyEndorsed")
        .withArgs(requestId);
    });

    it("should revert when endorsing once the request window has closed", async function () {
      const { accessGrants, signers, requestId, request } = await loadFixture(pendingTransfersFixture);
      await time.increaseTo(request.notAfter);
      await expect(accessGrants.connect(signers.supervisor).endorse(requestId))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsExpired")
        .withArgs(requestId, request.notAfter);
    });

    const decisions: { name: string; decide: (scenario: PendingRequest) => Promise<unknown>; status: number }[] = [
      {
        name: "approved",
        decide: (s) => s.accessGrants.connect(s.signers.telecomSteward).approve(s.requestId),
        status: RequestStatus.APPROVED,
      },
      {
        name: "rejected",
        decide: (s) => s.accessGrants.connect(s.signers.telecomSteward).reject(s.requestId, 1),
        status: RequestStatus.REJECTED,
      },
      {
        name: "revoked",
        decide: (s) => s.accessGrants.connect(s.signers.investigator).revoke(s.requestId, 1),
        status: RequestStatus.REVOKED,
      },
    ];
    for (const { name, decide, status } of decisions) {
      it(`should revert when endorsing a request already ${name}`, async function () {
        const scenario = await loadFixture(pendingRequestFixture);
        await decide(scenario);
        await expect(scenario.accessGrants.connect(scenario.signers.supervisor).endorse(scenario.requestId))
          .to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsUnexpectedStatus")
          .withArgs(scenario.requestId, status);
      });
    }
  });

  describe("decisions", function () {
    it("should let the holder's DATA_STEWARD approve a pending request", async function () {
      const scenario = await loadFixture(pendingRequestFixture);
      const { accessGrants, signers, requestId, request, organizations } = scenario;
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(accessGrants.connect(signers.telecomSteward).approve(requestId))
        .to.emit(accessGrants, "RequestApproved")
        .withArgs(requestId, signers.telecomSteward.address);
      expect(await readGrant(accessGrants, requestId)).to.deep.equal(
        expectedGrant(scenario, request, organizations.telecomId, { status: BigInt(RequestStatus.APPROVED) }),
      );
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(true);
    });

    it("should let the holder's DATA_STEWARD reject a pending request with a reason code", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingRequestFixture);
      await expect(accessGrants.connect(signers.telecomSteward).reject(requestId, 404))
        .to.emit(accessGrants, "RequestRejected")
        .withArgs(requestId, signers.telecomSteward.address, 404);
      expect((await accessGrants.getGrant(requestId)).status).to.equal(RequestStatus.REJECTED);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
    });

    const deciders: { name: string; decide: (accessGrants: AccessGrants, requestId: string) => Promise<unknown> }[] = [
      { name: "approve", decide: (accessGrants, requestId) => accessGrants.approve(requestId) },
      { name: "reject", decide: (accessGrants, requestId) => accessGrants.reject(requestId, 1) },
    ];
    for (const { name, decide } of deciders) {
      it(`should revert when a DATA_STEWARD of another organization tries to ${name}`, async function () {
        const { accessGrants, signers, organizations, requestId } = await loadFixture(pendingRequestFixture);
        await expect(decide(accessGrants.connect(signers.bankSteward), requestId))
          .to.be.revertedWithCustomError(accessGrants, "AccountNotInOrganization")
          .withArgs(signers.bankSteward.address, organizations.telecomId);
      });

      it(`should revert when an account without the DATA_STEWARD role tries to ${name}`, async function () {
        const { accessGrants, signers, requestId } = await loadFixture(pendingRequestFixture);
        for (const account of [signers.telecomAdmin, signers.investigator, signers.outsider]) {
          await expect(decide(accessGrants.connect(account), requestId))
            .to.be.revertedWithCustomError(accessGrants, "MemberMissingRole")
            .withArgs(account.address, Role.DATA_STEWARD);
        }
      });

      for (const first of deciders) {
        it(`should revert when trying to ${name} a request already decided by ${first.name}`, async function () {
          const { accessGrants, signers, requestId } = await loadFixture(pendingRequestFixture);
          const steward = accessGrants.connect(signers.telecomSteward);
          await first.decide(steward, requestId);
          const status = first.name === "approve" ? RequestStatus.APPROVED : RequestStatus.REJECTED;
          await expect(decide(steward, requestId))
            .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnexpectedStatus")
            .withArgs(requestId, status);
        });
      }
    }

    it("should revert when approving a request that needs an endorsement it does not have", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingTransfersFixture);
      await expect(accessGrants.connect(signers.bankSteward).approve(requestId))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsEndorsementRequired")
        .withArgs(requestId);
    });

    it("should approve a request that needs an endorsement once it is endorsed", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingTransfersFixture);
      await accessGrants.connect(signers.supervisor).endorse(requestId);
      await expect(accessGrants.connect(signers.bankSteward).approve(requestId))
        .to.emit(accessGrants, "RequestApproved")
        .withArgs(requestId, signers.bankSteward.address);
      expect((await accessGrants.getGrant(requestId)).status).to.equal(RequestStatus.APPROVED);
    });

    it("should let the holder reject a request that needs an endorsement without one", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingTransfersFixture);
      await expect(accessGrants.connect(signers.bankSteward).reject(requestId, 3))
        .to.emit(accessGrants, "RequestRejected")
        .withArgs(requestId, signers.bankSteward.address, 3);
    });

    it("should approve up to the last second before the window closes", async function () {
      const { accessGrants, signers, requestId, request } = await loadFixture(pendingRequestFixture);
      await time.setNextBlockTimestamp(request.notAfter - 1);
      await expect(accessGrants.connect(signers.telecomSteward).approve(requestId))
        .to.emit(accessGrants, "RequestApproved")
        .withArgs(requestId, signers.telecomSteward.address);
    });

    it("should revert when approving once the request window has closed", async function () {
      const { accessGrants, signers, requestId, request } = await loadFixture(pendingRequestFixture);
      await time.setNextBlockTimestamp(request.notAfter);
      await expect(accessGrants.connect(signers.telecomSteward).approve(requestId))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsExpired")
        .withArgs(requestId, request.notAfter);
    });
  });

  describe("revocation", function () {
    const revokers: { name: string; revoker: (scenario: PendingRequest) => HardhatEthersSigner }[] = [
      { name: "the requester", revoker: (s) => s.signers.investigator },
      { name: "an ORG_ADMIN of the requester's organization", revoker: (s) => s.signers.bureauAdmin },
      { name: "a SUPERVISOR of the requester's organization", revoker: (s) => s.signers.supervisor },
      { name: "a DATA_STEWARD of the holder", revoker: (s) => s.signers.telecomSteward },
      { name: "an AUDITOR of an OVERSIGHT organization", revoker: (s) => s.signers.auditor },
      { name: "governance", revoker: (s) => s.governance },
    ];
    const statuses = [
      { name: "a pending request", fixture: pendingRequestFixture, previousStatus: RequestStatus.PENDING },
      { name: "an approved grant", fixture: approvedGrantFixture, previousStatus: RequestStatus.APPROVED },
    ];
    for (const { name, revoker } of revokers) {
      for (const { name: target, fixture, previousStatus } of statuses) {
        it(`should let ${name} revoke ${target}`, async function () {
          const scenario = await loadFixture(fixture);
          const { accessGrants, requestId } = scenario;
          const account = revoker(scenario);
          await expect(accessGrants.connect(account).revoke(requestId, 9))
            .to.emit(accessGrants, "GrantRevoked")
            .withArgs(requestId, account.address, 9, previousStatus);
          expect((await accessGrants.getGrant(requestId)).status).to.equal(RequestStatus.REVOKED);
          expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
        });
      }
    }

    const refused: {
      name: string;
      source: "callRecords" | "transfers";
      revoker: (scenario: PendingRequest) => HardhatEthersSigner;
      prepare?: (scenario: PendingRequest) => Promise<unknown>;
    }[] = [
      { name: "an account of no organization", source: "callRecords", revoker: (s) => s.signers.outsider },
      {
        name: "a bank DATA_STEWARD on a telecom grant",
        source: "callRecords",
        revoker: (s) => s.signers.bankSteward,
      },
      {
        name: "a telecom DATA_STEWARD on a bank grant",
        source: "transfers",
        revoker: (s) => s.signers.telecomSteward,
      },
      {
        name: "the holder's ORG_ADMIN, who is no DATA_STEWARD",
        source: "callRecords",
        revoker: (s) => s.signers.telecomAdmin,
      },
      {
        name: "an OVERSIGHT ORG_ADMIN, who is no AUDITOR",
        source: "callRecords",
        revoker: (s) => s.signers.oversightAdmin,
      },
      {
        name: "a SUPERVISOR of the requester's organization while it is suspended",
        source: "callRecords",
        revoker: (s) => s.signers.supervisor,
        prepare: (s) => s.consortium.suspendOrganization(s.organizations.bureauId),
      },
      {
        name: "the holder's DATA_STEWARD while the holder is suspended",
        source: "callRecords",
        revoker: (s) => s.signers.telecomSteward,
        prepare: (s) => s.consortium.suspendOrganization(s.organizations.telecomId),
      },
    ];
    for (const { name, source, revoker, prepare } of refused) {
      it(`should revert when revoked by ${name}`, async function () {
        const base = await loadFixture(attestedScenario);
        const scenario = {
          ...base,
          ...(await submitAccessRequest(base, { sourceId: base.sources[source] })),
        };
        await prepare?.(scenario);
        const account = revoker(scenario);
        await expect(scenario.accessGrants.connect(account).revoke(scenario.requestId, 9))
          .to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsUnauthorizedAccount")
          .withArgs(account.address);
      });
    }

    it("should let the requester revoke while its organization is suspended", async function () {
      const { accessGrants, consortium, signers, organizations, requestId } = await loadFixture(approvedGrantFixture);
      await consortium.suspendOrganization(organizations.bureauId);
      await expect(accessGrants.connect(signers.investigator).revoke(requestId, 2))
        .to.emit(accessGrants, "GrantRevoked")
        .withArgs(requestId, signers.investigator.address, 2, RequestStatus.APPROVED);
    });

    it("should revert when revoking a rejected request", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(pendingRequestFixture);
      await accessGrants.connect(signers.telecomSteward).reject(requestId, 1);
      await expect(accessGrants.connect(signers.investigator).revoke(requestId, 9))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnexpectedStatus")
        .withArgs(requestId, RequestStatus.REJECTED);
    });

    it("should revert when revoking a revoked grant", async function () {
      const { accessGrants, signers, requestId } = await loadFixture(approvedGrantFixture);
      await accessGrants.connect(signers.investigator).revoke(requestId, 9);
      await expect(accessGrants.connect(signers.auditor).revoke(requestId, 9))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnexpectedStatus")
        .withArgs(requestId, RequestStatus.REVOKED);
    });
  });

  describe("deliveries", function () {
    it("should record a delivery under a usable grant", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(approvedGrantFixture);
      const steward = accessGrants.connect(signers.telecomSteward);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(true);
      expect(await accessGrants.deliveryCount()).to.equal(0n);

      expect(await steward.recordDelivery.staticCall(requestId, attestation.id, PAYLOAD_HASH, 10)).to.equal(1n);
      await expect(steward.recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10))
        .to.emit(accessGrants, "DeliveryRecorded")
        .withArgs(1n, requestId, attestation.id, PAYLOAD_HASH, 10, 1, signers.telecomSteward.address);

      const delivery = await accessGrants.getDelivery(1n);
      expect([
        delivery.requestId,
        delivery.attestationId,
        delivery.recordCount,
        delivery.acknowledgement,
      ]).to.deep.equal([requestId, attestation.id, 10n, BigInt(Acknowledgement.NONE)]);
      expect(await accessGrants.deliveryCount()).to.equal(1n);
      expect((await accessGrants.getGrant(requestId)).deliveryCount).to.equal(1n);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(true);
    });

    it("should accept a delivery of every record of the attestation", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(approvedGrantFixture);
      await expect(
        accessGrants
          .connect(signers.telecomSteward)
          .recordDelivery(requestId, attestation.id, PAYLOAD_HASH, ATTESTED_RECORD_COUNT),
      )
        .to.emit(accessGrants, "DeliveryRecorded")
        .withArgs(
          1n,
          requestId,
          attestation.id,
          PAYLOAD_HASH,
          ATTESTED_RECORD_COUNT,
          1,
          signers.telecomSteward.address,
        );
    });

    it("should number deliveries up to the grant's limit and revert past it", async function () {
      const { accessGrants, signers, requestId, request, attestation } = await loadFixture(approvedGrantFixture);
      const steward = accessGrants.connect(signers.telecomSteward);
      for (let number = 1; number <= request.maxDeliveries; number++) {
        const payloadHash = ethers.id(`payload:${number}`);
        await expect(steward.recordDelivery(requestId, attestation.id, payloadHash, 5))
          .to.emit(accessGrants, "DeliveryRecorded")
          .withArgs(number, requestId, attestation.id, payloadHash, 5, number, signers.telecomSteward.address);
      }
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(steward.recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 5))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsDeliveryLimitReached")
        .withArgs(requestId, request.maxDeliveries);
    });

    it("should revert before the grant's notBefore and record from notBefore on", async function () {
      const scenario = await loadFixture(attestedScenario);
      const { accessGrants, signers, attestation } = scenario;
      const start = await time.latest();
      const notBefore = start + DAY;
      const { requestId } = await submitAccessRequest(scenario, { notBefore, notAfter: notBefore + 30 * DAY });
      const steward = accessGrants.connect(signers.telecomSteward);
      await steward.approve(requestId);

      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(steward.recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsNotYetValid")
        .withArgs(requestId, notBefore);

      await time.setNextBlockTimestamp(notBefore);
      await expect(steward.recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10))
        .to.emit(accessGrants, "DeliveryRecorded")
        .withArgs(1n, requestId, attestation.id, PAYLOAD_HASH, 10, 1, signers.telecomSteward.address);
    });

    it("should revert once the grant's window has closed", async function () {
      const { accessGrants, signers, requestId, request, attestation } = await loadFixture(approvedGrantFixture);
      await time.increaseTo(request.notAfter);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(
        accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10),
      )
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsExpired")
        .withArgs(requestId, request.notAfter);
    });

    it("should revert when the request is still pending", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(pendingRequestFixture);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(
        accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10),
      )
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnexpectedStatus")
        .withArgs(requestId, RequestStatus.PENDING);
    });

    it("should revert when the request was rejected", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(pendingRequestFixture);
      const steward = accessGrants.connect(signers.telecomSteward);
      await steward.reject(requestId, 1);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(steward.recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnexpectedStatus")
        .withArgs(requestId, RequestStatus.REJECTED);
    });

    it("should revert when the grant was revoked", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(approvedGrantFixture);
      await accessGrants.connect(signers.auditor).revoke(requestId, 7);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(
        accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10),
      )
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnexpectedStatus")
        .withArgs(requestId, RequestStatus.REVOKED);
    });

    it("should revert when the attestation belongs to another source", async function () {
      const { accessGrants, attestations, signers, sources, requestId } = await loadFixture(approvedGrantFixture);
      const start = await time.latest();
      const otherBatch = {
        sourceId: sources.cellLocations,
        merkleRoot: ethers.id("merkle-root:cell-locations"),
        recordCount: 500,
        periodStart: start - 10 * DAY,
        periodEnd: start - DAY,
        previousAttestationId: 0,
        dataURI: "",
      };
      const steward = attestations.connect(signers.telecomSteward);
      const otherAttestationId = await steward.attest.staticCall(otherBatch);
      await steward.attest(otherBatch);
      await expect(
        accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, otherAttestationId, PAYLOAD_HASH, 10),
      )
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsAttestationSourceMismatch")
        .withArgs(otherAttestationId, sources.callRecords);
    });

    it("should revert when the attestation was revoked", async function () {
      const { accessGrants, attestations, signers, requestId, attestation } = await loadFixture(approvedGrantFixture);
      await attestations
        .connect(signers.telecomSteward)
        .revokeAttestation(attestation.id, "root computed on a bad export");
      await expect(
        accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10),
      )
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsAttestationRevoked")
        .withArgs(attestation.id);
    });

    it("should revert when the attestation is unknown", async function () {
      const { accessGrants, attestations, signers, requestId } = await loadFixture(approvedGrantFixture);
      await expect(accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, 99, PAYLOAD_HASH, 10))
        .to.be.revertedWithCustomError(attestations, "AttestationRegistryUnknownAttestation")
        .withArgs(99);
    });

    it("should revert when a delivery claims more records than its attestation holds", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(approvedGrantFixture);
      await expect(
        accessGrants
          .connect(signers.telecomSteward)
          .recordDelivery(requestId, attestation.id, PAYLOAD_HASH, ATTESTED_RECORD_COUNT + 1),
      )
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsRecordCountExceedsAttestation")
        .withArgs(ATTESTED_RECORD_COUNT + 1, ATTESTED_RECORD_COUNT);
    });

    it("should revert when the payload hash is zero", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(approvedGrantFixture);
      await expect(
        accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, attestation.id, ethers.ZeroHash, 10),
      ).to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidPayloadHash");
    });

    it("should revert while the requester's organization is suspended, and record again once reinstated", async function () {
      const { accessGrants, consortium, signers, organizations, requestId, attestation } =
        await loadFixture(approvedGrantFixture);
      const steward = accessGrants.connect(signers.telecomSteward);
      await consortium.suspendOrganization(organizations.bureauId);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(steward.recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10))
        .to.be.revertedWithCustomError(accessGrants, "OrganizationInactive")
        .withArgs(organizations.bureauId);

      await consortium.reinstateOrganization(organizations.bureauId);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(true);
      await expect(steward.recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10)).to.emit(
        accessGrants,
        "DeliveryRecorded",
      );
    });

    it("should revert while the holder is suspended", async function () {
      const { accessGrants, consortium, signers, organizations, requestId, attestation } =
        await loadFixture(approvedGrantFixture);
      await consortium.suspendOrganization(organizations.telecomId);
      expect(await accessGrants.isGrantUsable(requestId)).to.equal(false);
      await expect(
        accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10),
      )
        .to.be.revertedWithCustomError(accessGrants, "OrganizationInactive")
        .withArgs(organizations.telecomId);
    });

    it("should revert when a DATA_STEWARD of another organization records a delivery", async function () {
      const { accessGrants, signers, organizations, requestId, attestation } = await loadFixture(approvedGrantFixture);
      await expect(
        accessGrants.connect(signers.bankSteward).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10),
      )
        .to.be.revertedWithCustomError(accessGrants, "AccountNotInOrganization")
        .withArgs(signers.bankSteward.address, organizations.telecomId);
    });

    it("should revert when an account without the DATA_STEWARD role records a delivery", async function () {
      const { accessGrants, signers, requestId, attestation } = await loadFixture(approvedGrantFixture);
      for (const account of [signers.investigator, signers.telecomAdmin, signers.outsider]) {
        await expect(accessGrants.connect(account).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 10))
          .to.be.revertedWithCustomError(accessGrants, "MemberMissingRole")
          .withArgs(account.address, Role.DATA_STEWARD);
      }
    });

    it("should report an unknown request as not usable", async function () {
      const { accessGrants } = await loadFixture(approvedGrantFixture);
      expect(await accessGrants.isGrantUsable(ethers.id("request:unknown"))).to.equal(false);
    });
  });

  describe("acknowledgement", function () {
    const answers = [
      { name: "accept", acknowledgement: Acknowledgement.ACCEPTED, reasonCode: 0 },
      { name: "dispute", acknowledgement: Acknowledgement.DISPUTED, reasonCode: 31 },
    ];
    for (const { name, acknowledgement, reasonCode } of answers) {
      it(`should let the requester ${name} a delivery`, async function () {
        const { accessGrants, signers, requestId, deliveryId } = await loadFixture(deliveredFixture);
        await expect(
          accessGrants.connect(signers.investigator).acknowledgeDelivery(deliveryId, acknowledgement, reasonCode),
        )
          .to.emit(accessGrants, "DeliveryAcknowledged")
          .withArgs(deliveryId, requestId, signers.investigator.address, acknowledgement, reasonCode);
        expect((await accessGrants.getDelivery(deliveryId)).acknowledgement).to.equal(acknowledgement);
      });
    }

    it("should revert when anyone but the requester acknowledges", async function () {
      const { accessGrants, signers, deliveryId } = await loadFixture(deliveredFixture);
      for (const account of [signers.supervisor, signers.telecomSteward, signers.outsider]) {
        await expect(accessGrants.connect(account).acknowledgeDelivery(deliveryId, Acknowledgement.ACCEPTED, 0))
          .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnauthorizedAccount")
          .withArgs(account.address);
      }
    });

    it("should revert when a delivery is acknowledged twice", async function () {
      const { accessGrants, signers, deliveryId } = await loadFixture(deliveredFixture);
      const requester = accessGrants.connect(signers.investigator);
      await requester.acknowledgeDelivery(deliveryId, Acknowledgement.ACCEPTED, 0);
      await expect(requester.acknowledgeDelivery(deliveryId, Acknowledgement.DISPUTED, 5))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsDeliveryAlreadyAcknowledged")
        .withArgs(deliveryId);
    });

    it("should revert when the acknowledgement is NONE", async function () {
      const { accessGrants, signers, deliveryId } = await loadFixture(deliveredFixture);
      await expect(
        accessGrants.connect(signers.investigator).acknowledgeDelivery(deliveryId, Acknowledgement.NONE, 0),
      ).to.be.revertedWithCustomError(accessGrants, "AccessGrantsInvalidAcknowledgement");
    });

    it("should revert when acknowledging or reading an unknown delivery", async function () {
      const { accessGrants, signers } = await loadFixture(deliveredFixture);
      await expect(accessGrants.connect(signers.investigator).acknowledgeDelivery(2, Acknowledgement.ACCEPTED, 0))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnknownDelivery")
        .withArgs(2);
      await expect(accessGrants.getDelivery(0))
        .to.be.revertedWithCustomError(accessGrants, "AccessGrantsUnknownDelivery")
        .withArgs(0);
    });
  });

  describe("unknown requests", function () {
    const unknownRequestId = ethers.id("request:unknown");
    const calls: { name: string; call: (scenario: AttestedScenario) => Promise<unknown> }[] = [
      { name: "reading its grant", call: (s) => s.accessGrants.getGrant(unknownRequestId) },
      {
        name: "approving it",
        call: (s) => s.accessGrants.connect(s.signers.telecomSteward).approve(unknownRequestId),
      },
      {
        name: "rejecting it",
        call: (s) => s.accessGrants.connect(s.signers.telecomSteward).reject(unknownRequestId, 1),
      },
      { name: "endorsing it", call: (s) => s.accessGrants.connect(s.signers.supervisor).endorse(unknownRequestId) },
      { name: "revoking it", call: (s) => s.accessGrants.connect(s.governance).revoke(unknownRequestId, 1) },
      {
        name: "recording a delivery under it",
        call: (s) =>
          s.accessGrants
            .connect(s.signers.telecomSteward)
            .recordDelivery(unknownRequestId, s.attestation.id, PAYLOAD_HASH, 1),
      },
    ];
    for (const { name, call } of calls) {
      it(`should revert with AccessGrantsUnknownRequest when ${name}`, async function () {
        const scenario = await loadFixture(attestedScenario);
        await expect(call(scenario))
          .to.be.revertedWithCustomError(scenario.accessGrants, "AccessGrantsUnknownRequest")
          .withArgs(unknownRequestId);
      });
    }
  });

  describe("suite pause", function () {
    it("should revert every state change while the consortium is paused", async function () {
      const scenario = await loadFixture(approvedGrantFixture);
      const { accessGrants, consortium, governance, signers, requestId, attestation } = scenario;
      const request = await buildAccessRequest(scenario);
      await consortium.connect(governance).pause();
      const calls = [
        () => accessGrants.connect(signers.investigator).submitRequest(request),
        () => accessGrants.connect(signers.supervisor).endorse(requestId),
        () => accessGrants.connect(signers.telecomSteward).reject(requestId, 1),
        () => accessGrants.connect(signers.investigator).revoke(requestId, 1),
        () => accessGrants.connect(signers.telecomSteward).recordDelivery(requestId, attestation.id, PAYLOAD_HASH, 1),
        () => accessGrants.connect(signers.investigator).increaseNonce(2),
        () => accessGrants.connect(governance).setMaxGrantDuration(DAY),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(accessGrants, "EnforcedPause");
      }
    });
  });
});
