import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ADMIN_TRANSFER_DELAY,
  Kind,
  Role,
  consortiumScenario,
  deployedSuite,
  roleMask,
  type ConsortiumScenario,
} from "../helpers/suite";

const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const ALL_ROLES = roleMask(Role.ORG_ADMIN, Role.DATA_STEWARD, Role.INVESTIGATOR, Role.SUPERVISOR, Role.AUDITOR);
const ROLES = Object.values(Role);

/** The deployed suite with a few accounts that belong to nothing. */
async function deployedSuiteWithAccounts() {
  const deployed = await deployedSuite();
  const [, firstAdmin, secondAdmin, thirdAdmin, outsider] = await ethers.getSigners();
  return { ...deployed, firstAdmin, secondAdmin, thirdAdmin, outsider };
}

/** The consortium scenario with two accounts (beyond the scenario's) that belong to no organization yet. */
async function scenarioWithNewcomers() {
  const scenario = await consortiumScenario();
  const [newcomer, secondNewcomer] = (await ethers.getSigners()).slice(13);
  return { ...scenario, newcomer, secondNewcomer };
}

/** The scenario with the telecom suspended by governance. */
async function scenarioWithSuspendedTelecom() {
  const scenario = await scenarioWithNewcomers();
  await scenario.consortium.suspendOrganization(scenario.organizations.telecomId);
  return scenario;
}

/** The scenario with a second ORG_ADMIN in the telecom. */
async function scenarioWithTwoTelecomAdmins() {
  const scenario = await scenarioWithNewcomers();
  const { consortium, organizations, signers, newcomer } = scenario;
  await consortium
    .connect(signers.telecomAdmin)
    .addMember(organizations.telecomId, newcomer.address, roleMask(Role.ORG_ADMIN));
  return scenario;
}

/** The scenario with governance handed over (both steps) to an account outside every organization. */
async function scenarioWithTransferStarted() {
  const scenario = await scenarioWithNewcomers();
  const newGovernance = scenario.secondNewcomer;
  await scenario.consortium.beginDefaultAdminTransfer(newGovernance.address);
  const [, schedule] = await scenario.consortium.pendingDefaultAdmin();
  return { ...scenario, newGovernance, schedule };
}

/** Every role's holders in one organization, sorted per role, for comparing whole listings. */
async function roleListing(scenario: ConsortiumScenario, organizationId: bigint) {
  const listing: Record<number, string[]> = {};
  for (const role of ROLES) {
    listing[role] = [...(await scenario.consortium.roleHolders(organizationId, role))].sort();
  }
  return listing;
}

/** Checks that roleHolders, roleHolderCount and roleHolderAt tell the same story for every role. */
async function expectConsistentListing(scenario: ConsortiumScenario, organizationId: bigint) {
  const { consortium } = scenario;
  for (const role of ROLES) {
    const holders = await consortium.roleHolders(organizationId, role);
    expect(await consortium.roleHolderCount(organizationId, role)).to.equal(holders.length);
    for (let index = 0; index < holders.length; index++) {
      expect(await consortium.roleHolderAt(organizationId, role, index)).to.equal(holders[index]);
    }
    for (const holder of holders) {
      const member = await consortium.membership(holder);
      expect(member.organizationId).to.equal(organizationId);
      expect(Number(member.roles) & (1 << role)).to.not.equal(0);
    }
  }
}

describe("Consortium", function () {
  describe("deployment", function () {
    it("should make the deployer governance and pauser", async function () {
      const { consortium, governance } = await loadFixture(deployedSuiteWithAccounts);
      expect(await consortium.isGovernance(governance.address)).to.equal(true);
      expect(await consortium.defaultAdmin()).to.equal(governance.address);
      expect(await consortium.hasRole(DEFAULT_ADMIN_ROLE, governance.address)).to.equal(true);
      expect(await consortium.hasRole(await consortium.PAUSER_ROLE(), governance.address)).to.equal(true);
      expect(await consortium.PAUSER_ROLE()).to.equal(ethers.id("PAUSER_ROLE"));
    });

    it("should not treat any other account as governance", async function () {
      const { consortium, firstAdmin, outsider } = await loadFixture(deployedSuiteWithAccounts);
      expect(await consortium.isGovernance(firstAdmin.address)).to.equal(false);
      expect(await consortium.isGovernance(outsider.address)).to.equal(false);
      expect(await consortium.isGovernance(ethers.ZeroAddress)).to.equal(false);
    });

    it("should apply the governance handover delay the deployment asked for", async function () {
      const { consortium, record } = await loadFixture(deployedSuiteWithAccounts);
      expect(await consortium.defaultAdminDelay()).to.equal(ADMIN_TRANSFER_DELAY);
      expect(record.adminTransferDelaySeconds).to.equal(ADMIN_TRANSFER_DELAY);
      const [pending, schedule] = await consortium.pendingDefaultAdmin();
      expect(pending).to.equal(ethers.ZeroAddress);
      expect(schedule).to.equal(0n);
    });

    it("should start with no organization and unpaused", async function () {
      const { consortium } = await loadFixture(deployedSuiteWithAccounts);
      expect(await consortium.organizationCount()).to.equal(0n);
      expect(await consortium.paused()).to.equal(false);
    });

    it("should report version 1.0.0, as the deployment record does", async function () {
      const { consortium, record } = await loadFixture(deployedSuiteWithAccounts);
      expect(await consortium.version()).to.equal("1.0.0");
      expect(record.contracts.Consortium?.address).to.equal(await consortium.getAddress());
      expect(record.contracts.Consortium?.version).to.equal("1.0.0");
    });
  });

  describe("registering organizations", function () {
    it("should return id 1 for the first organization", async function () {
      const { consortium, firstAdmin } = await loadFixture(deployedSuiteWithAccounts);
      expect(
        await consortium.registerOrganization.staticCall(
          Kind.TELECOM,
          "Metro Telecom",
          "ipfs://dxl/metro",
          firstAdmin.address,
        ),
      ).to.equal(1n);
    });

    it("should emit OrganizationRegistered then MemberAdded for the initial ORG_ADMIN", async function () {
      const { consortium, governance, firstAdmin } = await loadFixture(deployedSuiteWithAccounts);
      const transaction = consortium.registerOrganization(
        Kind.BANK,
        "City Bank",
        "ipfs://dxl/bank",
        firstAdmin.address,
      );
      await expect(transaction)
        .to.emit(consortium, "OrganizationRegistered")
        .withArgs(1n, Kind.BANK, "City Bank", "ipfs://dxl/bank")
        .and.to.emit(consortium, "MemberAdded")
        .withArgs(1n, firstAdmin.address, roleMask(Role.ORG_ADMIN), governance.address);
      const receipt = await (await transaction).wait();
      const names = receipt!.logs.map((log) => consortium.interface.parseLog(log)?.name);
      expect(names).to.deep.equal(["OrganizationRegistered", "MemberAdded"]);
    });

    it("should store the organization as active, with its admin as sole ORG_ADMIN", async function () {
      const { consortium, firstAdmin } = await loadFixture(deployedSuiteWithAccounts);
      await consortium.registerOrganization(Kind.WATER_UTILITY, "Water Works", "ipfs://dxl/water", firstAdmin.address);

      const organization = await consortium.getOrganization(1n);
      expect(organization.kind).to.equal(Kind.WATER_UTILITY);
      expect(organization.active).to.equal(true);
      expect(organization.name).to.equal("Water Works");
      expect(organization.metadataURI).to.equal("ipfs://dxl/water");
      expect(await consortium.organizationCount()).to.equal(1n);
      expect(await consortium.isOrganizationActive(1n)).to.equal(true);

      const member = await consortium.membership(firstAdmin.address);
      expect(member.organizationId).to.equal(1n);
      expect(member.roles).to.equal(roleMask(Role.ORG_ADMIN));
      expect(member.organizationKind).to.equal(Kind.WATER_UTILITY);
      expect(member.organizationActive).to.equal(true);
      expect(await consortium.hasMemberRole(firstAdmin.address, Role.ORG_ADMIN)).to.equal(true);
      expect(await consortium.roleHolders(1n, Role.ORG_ADMIN)).to.deep.equal([firstAdmin.address]);
      for (const role of [Role.DATA_STEWARD, Role.INVESTIGATOR, Role.SUPERVISOR, Role.AUDITOR]) {
        expect(await consortium.roleHolderCount(1n, role)).to.equal(0n);
      }
    });

    it("should number organizations sequentially from 1", async function () {
      const { consortium, firstAdmin, secondAdmin, thirdAdmin } = await loadFixture(deployedSuiteWithAccounts);
      const admins = [firstAdmin, secondAdmin, thirdAdmin];
      for (const [index, admin] of admins.entries()) {
        const expectedId = BigInt(index + 1);
        const name = `Organization ${expectedId}`;
        expect(await consortium.registerOrganization.staticCall(Kind.MUNICIPAL, name, "", admin.address)).to.equal(
          expectedId,
        );
        await expect(consortium.registerOrganization(Kind.MUNICIPAL, name, "", admin.address))
          .to.emit(consortium, "OrganizationRegistered")
          .withArgs(expectedId, Kind.MUNICIPAL, name, "");
        expect(await consortium.organizationCount()).to.equal(expectedId);
        expect((await consortium.getOrganization(expectedId)).name).to.equal(name);
        expect((await consortium.membership(admin.address)).organizationId).to.equal(expectedId);
      }
    });

    it("should accept an empty metadata URI", async function () {
      const { consortium, firstAdmin } = await loadFixture(deployedSuiteWithAccounts);
      await expect(consortium.registerOrganization(Kind.OVERSIGHT, "Oversight Office", "", firstAdmin.address))
        .to.emit(consortium, "OrganizationRegistered")
        .withArgs(1n, Kind.OVERSIGHT, "Oversight Office", "");
      expect((await consortium.getOrganization(1n)).metadataURI).to.equal("");
    });

    it("should reject an organization without a name", async function () {
      const { consortium, firstAdmin } = await loadFixture(deployedSuiteWithAccounts);
      await expect(
        consortium.registerOrganization(Kind.TELECOM, "", "ipfs://dxl/nameless", firstAdmin.address),
      ).to.be.revertedWithCustomError(consortium, "ConsortiumEmptyName");
      expect(await consortium.organizationCount()).to.equal(0n);
    });

    it("should reject the zero address as initial admin", async function () {
      const { consortium } = await loadFixture(deployedSuiteWithAccounts);
      await expect(consortium.registerOrganization(Kind.TELECOM, "Metro Telecom", "", ethers.ZeroAddress))
        .to.be.revertedWithCustomError(consortium, "ConsortiumInvalidAccount")
        .withArgs(ethers.ZeroAddress);
      expect(await consortium.organizationCount()).to.equal(0n);
    });

    it("should reject an initial admin that already belongs to an organization", async function () {
      const { consortium, firstAdmin } = await loadFixture(deployedSuiteWithAccounts);
      await consortium.registerOrganization(Kind.TELECOM, "Metro Telecom", "", firstAdmin.address);
      await expect(consortium.registerOrganization(Kind.BANK, "City Bank", "", firstAdmin.address))
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountAlreadyMember")
        .withArgs(firstAdmin.address, 1n);
      expect(await consortium.organizationCount()).to.equal(1n);
    });

    it("should revert getOrganization for an id never registered", async function () {
      const { consortium, firstAdmin } = await loadFixture(deployedSuiteWithAccounts);
      await expect(consortium.getOrganization(1n))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnknownOrganization")
        .withArgs(1n);
      await consortium.registerOrganization(Kind.TELECOM, "Metro Telecom", "", firstAdmin.address);
      await expect(consortium.getOrganization(0n))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnknownOrganization")
        .withArgs(0n);
      await expect(consortium.getOrganization(2n))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnknownOrganization")
        .withArgs(2n);
    });

    it("should report an unknown organization as not active", async function () {
      const { consortium } = await loadFixture(deployedSuiteWithAccounts);
      expect(await consortium.isOrganizationActive(0n)).to.equal(false);
      expect(await consortium.isOrganizationActive(7n)).to.equal(false);
    });
  });

  describe("suspending and reinstating organizations", function () {
    it("should suspend an organization, emitting OrganizationSuspended", async function () {
      const { consortium, governance, organizations } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.suspendOrganization(organizations.telecomId))
        .to.emit(consortium, "OrganizationSuspended")
        .withArgs(organizations.telecomId, governance.address);
      expect(await consortium.isOrganizationActive(organizations.telecomId)).to.equal(false);
      expect((await consortium.getOrganization(organizations.telecomId)).active).to.equal(false);
    });

    it("should keep a suspended organization's members and roles but report them inactive", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithSuspendedTelecom);
      const member = await consortium.membership(signers.telecomSteward.address);
      expect(member.organizationId).to.equal(organizations.telecomId);
      expect(member.roles).to.equal(roleMask(Role.DATA_STEWARD));
      expect(member.organizationKind).to.equal(Kind.TELECOM);
      expect(member.organizationActive).to.equal(false);
      expect(await consortium.hasMemberRole(signers.telecomSteward.address, Role.DATA_STEWARD)).to.equal(false);
      expect(await consortium.hasMemberRole(signers.telecomAdmin.address, Role.ORG_ADMIN)).to.equal(false);
      expect(await consortium.roleHolders(organizations.telecomId, Role.DATA_STEWARD)).to.deep.equal([
        signers.telecomSteward.address,
      ]);
    });

    it("should leave the other organizations active", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithSuspendedTelecom);
      expect(await consortium.isOrganizationActive(organizations.bankId)).to.equal(true);
      expect(await consortium.hasMemberRole(signers.bankSteward.address, Role.DATA_STEWARD)).to.equal(true);
    });

    it("should reject suspending an organization twice", async function () {
      const { consortium, organizations } = await loadFixture(scenarioWithSuspendedTelecom);
      await expect(consortium.suspendOrganization(organizations.telecomId))
        .to.be.revertedWithCustomError(consortium, "ConsortiumOrganizationAlreadySuspended")
        .withArgs(organizations.telecomId);
    });

    it("should reject suspending an unknown organization", async function () {
      const { consortium } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.suspendOrganization(99n))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnknownOrganization")
        .withArgs(99n);
    });

    it("should reinstate a suspended organization, emitting OrganizationReinstated", async function () {
      const { consortium, governance, organizations, signers } = await loadFixture(scenarioWithSuspendedTelecom);
      await expect(consortium.reinstateOrganization(organizations.telecomId))
        .to.emit(consortium, "OrganizationReinstated")
        .withArgs(organizations.telecomId, governance.address);
      expect(await consortium.isOrganizationActive(organizations.telecomId)).to.equal(true);
      expect((await consortium.getOrganization(organizations.telecomId)).active).to.equal(true);
      expect((await consortium.membership(signers.telecomSteward.address)).organizationActive).to.equal(true);
      expect(await consortium.hasMemberRole(signers.telecomSteward.address, Role.DATA_STEWARD)).to.equal(true);
    });

    it("should let a reinstated organization's admin manage members again", async function () {
      const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithSuspendedTelecom);
      await consortium.reinstateOrganization(organizations.telecomId);
      await expect(
        consortium
          .connect(signers.telecomAdmin)
          .addMember(organizations.telecomId, newcomer.address, roleMask(Role.DATA_STEWARD)),
      )
        .to.emit(consortium, "MemberAdded")
        .withArgs(organizations.telecomId, newcomer.address, roleMask(Role.DATA_STEWARD), signers.telecomAdmin.address);
    });

    it("should reject reinstating an organization that is not suspended", async function () {
      const { consortium, organizations } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.reinstateOrganization(organizations.bankId))
        .to.be.revertedWithCustomError(consortium, "ConsortiumOrganizationNotSuspended")
        .withArgs(organizations.bankId);
    });

    it("should reject reinstating an unknown organization", async function () {
      const { consortium } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.reinstateOrganization(0n))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnknownOrganization")
        .withArgs(0n);
    });
  });

  describe("governance-only functions", function () {
    type Caller = { description: string; pick: (scenario: ConsortiumScenario) => HardhatEthersSigner };
    const callers: Caller[] = [
      { description: "an organization's own ORG_ADMIN", pick: (scenario) => scenario.signers.telecomAdmin },
      { description: "an ORG_ADMIN of the public security bureau", pick: (scenario) => scenario.signers.bureauAdmin },
      { description: "an oversight AUDITOR", pick: (scenario) => scenario.signers.auditor },
      { description: "an outsider", pick: (scenario) => scenario.signers.outsider },
    ];
    type Operation = {
      name: string;
      send: (scenario: ConsortiumScenario, caller: HardhatEthersSigner) => Promise<unknown>;
    };
    const operations: Operation[] = [
      {
        name: "registerOrganization",
        send: (scenario, caller) =>
          scenario.consortium
            .connect(caller)
            .registerOrganization(Kind.BANK, "Shadow Bank", "", scenario.signers.relayer.address),
      },
      {
        name: "suspendOrganization",
        send: (scenario, caller) =>
          scenario.consortium.connect(caller).suspendOrganization(scenario.organizations.telecomId),
      },
      {
        name: "reinstateOrganization",
        send: (scenario, caller) =>
          scenario.consortium.connect(caller).reinstateOrganization(scenario.organizations.telecomId),
      },
      {
        name: "beginDefaultAdminTransfer",
        send: (scenario, caller) => scenario.consortium.connect(caller).beginDefaultAdminTransfer(caller.address),
      },
    ];

    for (const operation of operations) {
      for (const caller of callers) {
        it(`should refuse ${operation.name} from ${caller.description}`, async function () {
          const scenario = await loadFixture(scenarioWithNewcomers);
          const account = caller.pick(scenario);
          await expect(operation.send(scenario, account))
            .to.be.revertedWithCustomError(scenario.consortium, "AccessControlUnauthorizedAccount")
            .withArgs(account.address, DEFAULT_ADMIN_ROLE);
        });
      }
    }
  });

  describe("adding members", function () {
    it("should let an ORG_ADMIN add a member to its organization", async function () {
      const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
      const roles = roleMask(Role.DATA_STEWARD, Role.AUDITOR);
      await expect(consortium.connect(signers.telecomAdmin).addMember(organizations.telecomId, newcomer.address, roles))
        .to.emit(consortium, "MemberAdded")
        .withArgs(organizations.telecomId, newcomer.address, roles, signers.telecomAdmin.address);

      const member = await consortium.membership(newcomer.address);
      expect(member.organizationId).to.equal(organizations.telecomId);
      expect(member.roles).to.equal(roles);
      expect(member.organizationKind).to.equal(Kind.TELECOM);
      expect(member.organizationActive).to.equal(true);
      expect(await consortium.hasMemberRole(newcomer.address, Role.DATA_STEWARD)).to.equal(true);
      expect(await consortium.hasMemberRole(newcomer.address, Role.AUDITOR)).to.equal(true);
      expect(await consortium.hasMemberRole(newcomer.address, Role.ORG_ADMIN)).to.equal(false);
    });

    it("should let governance add a member to any organization", async function () {
      const { consortium, governance, organizations, newcomer } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.addMember(organizations.bureauId, newcomer.address, roleMask(Role.INVESTIGATOR)))
        .to.emit(consortium, "MemberAdded")
        .withArgs(organizations.bureauId, newcomer.address, roleMask(Role.INVESTIGATOR), governance.address);
      expect((await consortium.membership(newcomer.address)).organizationId).to.equal(organizations.bureauId);
    });

    it("should let governance add a member to a suspended organization", async function () {
      const { consortium, governance, organizations, newcomer } = await loadFixture(scenarioWithSuspendedTelecom);
      await expect(consortium.addMember(organizations.telecomId, newcomer.address, roleMask(Role.DATA_STEWARD)))
        .to.emit(consortium, "MemberAdded")
        .withArgs(organizations.telecomId, newcomer.address, roleMask(Role.DATA_STEWARD), governance.address);
      const member = await consortium.membership(newcomer.address);
      expect(member.organizationId).to.equal(organizations.telecomId);
      expect(member.organizationActive).to.equal(false);
    });

    it("should accept every known role at once (mask 0x1f)", async function () {
      const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.connect(signers.bankAdmin).addMember(organizations.bankId, newcomer.address, ALL_ROLES))
        .to.emit(consortium, "MemberAdded")
        .withArgs(organizations.bankId, newcomer.address, 0x1f, signers.bankAdmin.address);
      for (const role of ROLES) {
        expect(await consortium.hasMemberRole(newcomer.address, role)).to.equal(true);
      }
    });

    it("should reject the zero address", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await expect(
        consortium
          .connect(signers.telecomAdmin)
          .addMember(organizations.telecomId, ethers.ZeroAddress, roleMask(Role.DATA_STEWARD)),
      )
        .to.be.revertedWithCustomError(consortium, "ConsortiumInvalidAccount")
        .withArgs(ethers.ZeroAddress);
    });

    it("should reject adding an account that already belongs to the same organization", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await expect(
        consortium
          .connect(signers.telecomAdmin)
          .addMember(organizations.telecomId, signers.telecomSteward.address, roleMask(Role.AUDITOR)),
      )
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountAlreadyMember")
        .withArgs(signers.telecomSteward.address, organizations.telecomId);
      expect((await consortium.membership(signers.telecomSteward.address)).roles).to.equal(roleMask(Role.DATA_STEWARD));
    });

    it("should reject adding an account that already belongs to another organization", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await expect(
        consortium
          .connect(signers.telecomAdmin)
          .addMember(organizations.telecomId, signers.bankSteward.address, roleMask(Role.DATA_STEWARD)),
      )
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountAlreadyMember")
        .withArgs(signers.bankSteward.address, organizations.bankId);
      await expect(
        consortium.addMember(organizations.oversightId, signers.investigator.address, roleMask(Role.AUDITOR)),
      )
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountAlreadyMember")
        .withArgs(signers.investigator.address, organizations.bureauId);
    });

    for (const roles of [0, 0x20, 0x21, 0x40, 0x80, 0xff]) {
      it(`should reject the role mask 0x${roles.toString(16)}`, async function () {
        const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
        await expect(
          consortium.connect(signers.telecomAdmin).addMember(organizations.telecomId, newcomer.address, roles),
        )
          .to.be.revertedWithCustomError(consortium, "ConsortiumInvalidRoles")
          .withArgs(roles);
        expect((await consortium.membership(newcomer.address)).organizationId).to.equal(0n);
      });
    }

    it("should reject adding to an unknown organization", async function () {
      const { consortium, newcomer } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.addMember(99n, newcomer.address, roleMask(Role.AUDITOR)))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnknownOrganization")
        .withArgs(99n);
    });

    it("should let a removed account join another organization", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const account = signers.telecomSteward.address;
      await consortium.connect(signers.telecomAdmin).removeMember(account);
      await expect(
        consortium.connect(signers.bankAdmin).addMember(organizations.bankId, account, roleMask(Role.AUDITOR)),
      )
        .to.emit(consortium, "MemberAdded")
        .withArgs(organizations.bankId, account, roleMask(Role.AUDITOR), signers.bankAdmin.address);
      const member = await consortium.membership(account);
      expect(member.organizationId).to.equal(organizations.bankId);
      expect(member.roles).to.equal(roleMask(Role.AUDITOR));
      expect(member.organizationKind).to.equal(Kind.BANK);
    });
  });

  describe("updating member roles", function () {
    it("should let an ORG_ADMIN replace a member's roles", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const account = signers.telecomSteward.address;
      const roles = roleMask(Role.DATA_STEWARD, Role.AUDITOR);
      await expect(consortium.connect(signers.telecomAdmin).setMemberRoles(account, roles))
        .to.emit(consortium, "MemberRolesUpdated")
        .withArgs(organizations.telecomId, account, roleMask(Role.DATA_STEWARD), roles, signers.telecomAdmin.address);
      const member = await consortium.membership(account);
      expect(member.organizationId).to.equal(organizations.telecomId);
      expect(member.roles).to.equal(roles);
      expect(await consortium.hasMemberRole(account, Role.AUDITOR)).to.equal(true);
    });

    it("should let governance replace the roles of any organization's member", async function () {
      const { consortium, governance, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const account = signers.investigator.address;
      await expect(consortium.setMemberRoles(account, roleMask(Role.SUPERVISOR)))
        .to.emit(consortium, "MemberRolesUpdated")
        .withArgs(
          organizations.bureauId,
          account,
          roleMask(Role.INVESTIGATOR),
          roleMask(Role.SUPERVISOR),
          governance.address,
        );
      expect(await consortium.hasMemberRole(account, Role.INVESTIGATOR)).to.equal(false);
      expect(await consortium.hasMemberRole(account, Role.SUPERVISOR)).to.equal(true);
    });

    it("should let an ORG_ADMIN grant ORG_ADMIN, after which the new admin manages the organization", async function () {
      const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
      const steward = signers.telecomSteward;
      const roles = roleMask(Role.ORG_ADMIN, Role.DATA_STEWARD);
      await expect(consortium.connect(signers.telecomAdmin).setMemberRoles(steward.address, roles))
        .to.emit(consortium, "MemberRolesUpdated")
        .withArgs(
          organizations.telecomId,
          steward.address,
          roleMask(Role.DATA_STEWARD),
          roles,
          signers.telecomAdmin.address,
        );
      await expect(
        consortium.connect(steward).addMember(organizations.telecomId, newcomer.address, roleMask(Role.AUDITOR)),
      )
        .to.emit(consortium, "MemberAdded")
        .withArgs(organizations.telecomId, newcomer.address, roleMask(Role.AUDITOR), steward.address);
    });

    it("should reject an account that belongs to no organization", async function () {
      const { consortium, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.connect(signers.telecomAdmin).setMemberRoles(newcomer.address, roleMask(Role.AUDITOR)))
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountNotMember")
        .withArgs(newcomer.address);
      await expect(consortium.setMemberRoles(ethers.ZeroAddress, roleMask(Role.AUDITOR)))
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountNotMember")
        .withArgs(ethers.ZeroAddress);
    });

    for (const roles of [0, 0x20, 0x3f, 0xe0]) {
      it(`should reject the role mask 0x${roles.toString(16)}`, async function () {
        const { consortium, signers } = await loadFixture(scenarioWithNewcomers);
        await expect(consortium.connect(signers.telecomAdmin).setMemberRoles(signers.telecomSteward.address, roles))
          .to.be.revertedWithCustomError(consortium, "ConsortiumInvalidRoles")
          .withArgs(roles);
        expect((await consortium.membership(signers.telecomSteward.address)).roles).to.equal(
          roleMask(Role.DATA_STEWARD),
        );
      });
    }
  });

  describe("removing members", function () {
    it("should let an ORG_ADMIN remove a member of its organization", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const account = signers.telecomSteward.address;
      await expect(consortium.connect(signers.telecomAdmin).removeMember(account))
        .to.emit(consortium, "MemberRemoved")
        .withArgs(organizations.telecomId, account, signers.telecomAdmin.address);
      const member = await consortium.membership(account);
      expect(member.organizationId).to.equal(0n);
      expect(member.roles).to.equal(0n);
      expect(member.organizationKind).to.equal(0n);
      expect(member.organizationActive).to.equal(false);
      expect(await consortium.hasMemberRole(account, Role.DATA_STEWARD)).to.equal(false);
      expect(await consortium.roleHolderCount(organizations.telecomId, Role.DATA_STEWARD)).to.equal(0n);
    });

    it("should let governance remove a member of any organization", async function () {
      const { consortium, governance, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const account = signers.auditor.address;
      await expect(consortium.removeMember(account))
        .to.emit(consortium, "MemberRemoved")
        .withArgs(organizations.oversightId, account, governance.address);
      expect((await consortium.membership(account)).organizationId).to.equal(0n);
      expect(await consortium.roleHolders(organizations.oversightId, Role.AUDITOR)).to.deep.equal([]);
    });

    it("should let governance remove a member of a suspended organization", async function () {
      const { consortium, governance, organizations, signers } = await loadFixture(scenarioWithSuspendedTelecom);
      await expect(consortium.removeMember(signers.telecomSteward.address))
        .to.emit(consortium, "MemberRemoved")
        .withArgs(organizations.telecomId, signers.telecomSteward.address, governance.address);
    });

    it("should reject removing an account that belongs to no organization", async function () {
      const { consortium, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.connect(signers.telecomAdmin).removeMember(newcomer.address))
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountNotMember")
        .withArgs(newcomer.address);
    });

    it("should reject removing the same member twice", async function () {
      const { consortium, signers } = await loadFixture(scenarioWithNewcomers);
      await consortium.connect(signers.bureauAdmin).removeMember(signers.investigator.address);
      await expect(consortium.connect(signers.bureauAdmin).removeMember(signers.investigator.address))
        .to.be.revertedWithCustomError(consortium, "ConsortiumAccountNotMember")
        .withArgs(signers.investigator.address);
    });
  });

  describe("authorization of member management", function () {
    type Caller = {
      description: string;
      setUp: (scenario: Awaited<ReturnType<typeof scenarioWithNewcomers>>) => Promise<HardhatEthersSigner>;
    };
    const callers: Caller[] = [
      { description: "an ORG_ADMIN of another organization", setUp: async (scenario) => scenario.signers.bankAdmin },
      { description: "a plain member of the organization", setUp: async (scenario) => scenario.signers.telecomSteward },
      { description: "an outsider", setUp: async (scenario) => scenario.signers.outsider },
      {
        description: "the ORG_ADMIN of a suspended organization",
        setUp: async (scenario) => {
          await scenario.consortium.suspendOrganization(scenario.organizations.telecomId);
          return scenario.signers.telecomAdmin;
        },
      },
      {
        description: "a former ORG_ADMIN whose role was taken away",
        setUp: async (scenario) => {
          const { consortium, organizations, signers, secondNewcomer } = scenario;
          await consortium.addMember(organizations.telecomId, secondNewcomer.address, roleMask(Role.ORG_ADMIN));
          await consortium.setMemberRoles(signers.telecomAdmin.address, roleMask(Role.AUDITOR));
          return signers.telecomAdmin;
        },
      },
      {
        description: "a removed ORG_ADMIN",
        setUp: async (scenario) => {
          const { consortium, organizations, signers, secondNewcomer } = scenario;
          await consortium.addMember(organizations.telecomId, secondNewcomer.address, roleMask(Role.ORG_ADMIN));
          await consortium.removeMember(signers.telecomAdmin.address);
          return signers.telecomAdmin;
        },
      },
    ];
    type Operation = {
      name: string;
      send: (
        scenario: Awaited<ReturnType<typeof scenarioWithNewcomers>>,
        caller: HardhatEthersSigner,
      ) => Promise<unknown>;
    };
    const operations: Operation[] = [
      {
        name: "addMember",
        send: (scenario, caller) =>
          scenario.consortium
            .connect(caller)
            .addMember(scenario.organizations.telecomId, scenario.newcomer.address, roleMask(Role.DATA_STEWARD)),
      },
      {
        name: "setMemberRoles",
        send: (scenario, caller) =>
          scenario.consortium
            .connect(caller)
            .setMemberRoles(scenario.signers.telecomSteward.address, roleMask(Role.ORG_ADMIN, Role.DATA_STEWARD)),
      },
      {
        name: "removeMember",
        send: (scenario, caller) =>
          scenario.consortium.connect(caller).removeMember(scenario.signers.telecomSteward.address),
      },
    ];

    for (const operation of operations) {
      for (const caller of callers) {
        it(`should refuse ${operation.name} on the telecom's members from ${caller.description}`, async function () {
          const scenario = await loadFixture(scenarioWithNewcomers);
          const account = await caller.setUp(scenario);
          await expect(operation.send(scenario, account))
            .to.be.revertedWithCustomError(scenario.consortium, "ConsortiumUnauthorizedAccount")
            .withArgs(account.address, scenario.organizations.telecomId);
        });
      }
    }

    it("should refuse a member granting itself ORG_ADMIN", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const steward = signers.telecomSteward;
      await expect(consortium.connect(steward).setMemberRoles(steward.address, ALL_ROLES))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnauthorizedAccount")
        .withArgs(steward.address, organizations.telecomId);
    });
  });

  describe("last organization admin", function () {
    it("should refuse removing an organization's only ORG_ADMIN, even by governance", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.removeMember(signers.telecomAdmin.address))
        .to.be.revertedWithCustomError(consortium, "ConsortiumLastOrganizationAdmin")
        .withArgs(organizations.telecomId, signers.telecomAdmin.address);
      await expect(consortium.connect(signers.telecomAdmin).removeMember(signers.telecomAdmin.address))
        .to.be.revertedWithCustomError(consortium, "ConsortiumLastOrganizationAdmin")
        .withArgs(organizations.telecomId, signers.telecomAdmin.address);
      expect(await consortium.roleHolders(organizations.telecomId, Role.ORG_ADMIN)).to.deep.equal([
        signers.telecomAdmin.address,
      ]);
    });

    it("should refuse stripping the only ORG_ADMIN of the role", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await expect(
        consortium.connect(signers.bankAdmin).setMemberRoles(signers.bankAdmin.address, roleMask(Role.DATA_STEWARD)),
      )
        .to.be.revertedWithCustomError(consortium, "ConsortiumLastOrganizationAdmin")
        .withArgs(organizations.bankId, signers.bankAdmin.address);
      await expect(consortium.setMemberRoles(signers.bankAdmin.address, roleMask(Role.AUDITOR)))
        .to.be.revertedWithCustomError(consortium, "ConsortiumLastOrganizationAdmin")
        .withArgs(organizations.bankId, signers.bankAdmin.address);
      expect((await consortium.membership(signers.bankAdmin.address)).roles).to.equal(roleMask(Role.ORG_ADMIN));
    });

    it("should let the only ORG_ADMIN take more roles while keeping ORG_ADMIN", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const roles = roleMask(Role.ORG_ADMIN, Role.DATA_STEWARD);
      await expect(consortium.connect(signers.bankAdmin).setMemberRoles(signers.bankAdmin.address, roles))
        .to.emit(consortium, "MemberRolesUpdated")
        .withArgs(
          organizations.bankId,
          signers.bankAdmin.address,
          roleMask(Role.ORG_ADMIN),
          roles,
          signers.bankAdmin.address,
        );
    });

    it("should let one of two ORG_ADMINs be removed", async function () {
      const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithTwoTelecomAdmins);
      await expect(consortium.connect(newcomer).removeMember(signers.telecomAdmin.address))
        .to.emit(consortium, "MemberRemoved")
        .withArgs(organizations.telecomId, signers.telecomAdmin.address, newcomer.address);
      expect(await consortium.roleHolders(organizations.telecomId, Role.ORG_ADMIN)).to.deep.equal([newcomer.address]);
    });

    it("should let an ORG_ADMIN remove itself when another ORG_ADMIN remains", async function () {
      const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithTwoTelecomAdmins);
      await expect(consortium.connect(signers.telecomAdmin).removeMember(signers.telecomAdmin.address))
        .to.emit(consortium, "MemberRemoved")
        .withArgs(organizations.telecomId, signers.telecomAdmin.address, signers.telecomAdmin.address);
      expect(await consortium.roleHolders(organizations.telecomId, Role.ORG_ADMIN)).to.deep.equal([newcomer.address]);
    });

    it("should let one of two ORG_ADMINs lose the role, then protect the remaining one", async function () {
      const { consortium, organizations, signers, newcomer } = await loadFixture(scenarioWithTwoTelecomAdmins);
      await expect(consortium.connect(newcomer).setMemberRoles(signers.telecomAdmin.address, roleMask(Role.AUDITOR)))
        .to.emit(consortium, "MemberRolesUpdated")
        .withArgs(
          organizations.telecomId,
          signers.telecomAdmin.address,
          roleMask(Role.ORG_ADMIN),
          roleMask(Role.AUDITOR),
          newcomer.address,
        );
      await expect(consortium.connect(newcomer).removeMember(newcomer.address))
        .to.be.revertedWithCustomError(consortium, "ConsortiumLastOrganizationAdmin")
        .withArgs(organizations.telecomId, newcomer.address);
    });
  });

  describe("role listing", function () {
    it("should list the scenario's holders per organization and role", async function () {
      const scenario = await loadFixture(scenarioWithNewcomers);
      const { organizations, signers } = scenario;
      const sorted = (...accounts: HardhatEthersSigner[]) => accounts.map((account) => account.address).sort();
      expect(await roleListing(scenario, organizations.bureauId)).to.deep.equal({
        [Role.ORG_ADMIN]: sorted(signers.bureauAdmin),
        [Role.DATA_STEWARD]: [],
        [Role.INVESTIGATOR]: sorted(signers.investigator, signers.secondInvestigator),
        [Role.SUPERVISOR]: sorted(signers.supervisor, signers.secondInvestigator),
        [Role.AUDITOR]: [],
      });
      expect(await roleListing(scenario, organizations.telecomId)).to.deep.equal({
        [Role.ORG_ADMIN]: sorted(signers.telecomAdmin),
        [Role.DATA_STEWARD]: sorted(signers.telecomSteward),
        [Role.INVESTIGATOR]: [],
        [Role.SUPERVISOR]: [],
        [Role.AUDITOR]: [],
      });
      for (const organizationId of Object.values(organizations)) {
        await expectConsistentListing(scenario, organizationId);
      }
    });

    it("should list nothing for an unknown organization", async function () {
      const { consortium } = await loadFixture(scenarioWithNewcomers);
      for (const role of ROLES) {
        expect(await consortium.roleHolders(99n, role)).to.deep.equal([]);
        expect(await consortium.roleHolderCount(99n, role)).to.equal(0n);
      }
    });

    it("should add a new member to the listing of each of its roles", async function () {
      const scenario = await loadFixture(scenarioWithNewcomers);
      const { consortium, organizations, signers, newcomer } = scenario;
      const before = await roleListing(scenario, organizations.bureauId);
      await consortium
        .connect(signers.bureauAdmin)
        .addMember(organizations.bureauId, newcomer.address, roleMask(Role.INVESTIGATOR, Role.AUDITOR));
      expect(await roleListing(scenario, organizations.bureauId)).to.deep.equal({
        ...before,
        [Role.INVESTIGATOR]: [...before[Role.INVESTIGATOR], newcomer.address].sort(),
        [Role.AUDITOR]: [newcomer.address],
      });
      expect(await consortium.roleHolderCount(organizations.bureauId, Role.INVESTIGATOR)).to.equal(3n);
      await expectConsistentListing(scenario, organizations.bureauId);
    });

    it("should move a member between listings when its roles change", async function () {
      const scenario = await loadFixture(scenarioWithNewcomers);
      const { consortium, organizations, signers } = scenario;
      const before = await roleListing(scenario, organizations.bureauId);
      const account = signers.secondInvestigator.address;
      await consortium.connect(signers.bureauAdmin).setMemberRoles(account, roleMask(Role.SUPERVISOR, Role.AUDITOR));
      expect(await roleListing(scenario, organizations.bureauId)).to.deep.equal({
        ...before,
        [Role.INVESTIGATOR]: [signers.investigator.address],
        [Role.SUPERVISOR]: before[Role.SUPERVISOR],
        [Role.AUDITOR]: [account],
      });
      await expectConsistentListing(scenario, organizations.bureauId);
    });

    it("should leave the listings unchanged when roles are set to the same mask", async function () {
      const scenario = await loadFixture(scenarioWithNewcomers);
      const { consortium, organizations, signers } = scenario;
      const before = await roleListing(scenario, organizations.bureauId);
      const roles = roleMask(Role.INVESTIGATOR, Role.SUPERVISOR);
      await expect(consortium.connect(signers.bureauAdmin).setMemberRoles(signers.secondInvestigator.address, roles))
        .to.emit(consortium, "MemberRolesUpdated")
        .withArgs(
          organizations.bureauId,
          signers.secondInvestigator.address,
          roles,
          roles,
          signers.bureauAdmin.address,
        );
      expect(await roleListing(scenario, organizations.bureauId)).to.deep.equal(before);
    });

    it("should drop a removed member from every listing", async function () {
      const scenario = await loadFixture(scenarioWithNewcomers);
      const { consortium, organizations, signers } = scenario;
      const before = await roleListing(scenario, organizations.bureauId);
      await consortium.connect(signers.bureauAdmin).removeMember(signers.secondInvestigator.address);
      expect(await roleListing(scenario, organizations.bureauId)).to.deep.equal({
        ...before,
        [Role.INVESTIGATOR]: [signers.investigator.address],
        [Role.SUPERVISOR]: [signers.supervisor.address],
      });
      await expectConsistentListing(scenario, organizations.bureauId);
    });

    it("should revert roleHolderAt past the end of a listing", async function () {
      const { consortium, organizations } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.roleHolderAt(organizations.bureauId, Role.SUPERVISOR, 2)).to.be.revertedWithPanic(0x32);
      await expect(consortium.roleHolderAt(organizations.bureauId, Role.DATA_STEWARD, 0)).to.be.revertedWithPanic(0x32);
    });
  });

  describe("membership views", function () {
    it("should report an outsider as member of no organization", async function () {
      const { consortium, signers } = await loadFixture(scenarioWithNewcomers);
      const member = await consortium.membership(signers.outsider.address);
      expect(member.organizationId).to.equal(0n);
      expect(member.roles).to.equal(0n);
      expect(member.organizationKind).to.equal(0n);
      expect(member.organizationActive).to.equal(false);
      for (const role of ROLES) {
        expect(await consortium.hasMemberRole(signers.outsider.address, role)).to.equal(false);
      }
    });

    it("should report each organization kind in its members' membership", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const expected = [
        { account: signers.telecomSteward, organizationId: organizations.telecomId, kind: Kind.TELECOM },
        { account: signers.bankSteward, organizationId: organizations.bankId, kind: Kind.BANK },
        { account: signers.investigator, organizationId: organizations.bureauId, kind: Kind.PUBLIC_SECURITY },
        { account: signers.auditor, organizationId: organizations.oversightId, kind: Kind.OVERSIGHT },
      ];
      for (const { account, organizationId, kind } of expected) {
        const member = await consortium.membership(account.address);
        expect(member.organizationId).to.equal(organizationId);
        expect(member.organizationKind).to.equal(kind);
        expect(member.organizationActive).to.equal(true);
      }
    });

    it("should answer hasMemberRole only for the roles a member holds", async function () {
      const { consortium, signers } = await loadFixture(scenarioWithNewcomers);
      const account = signers.secondInvestigator.address;
      expect(await consortium.hasMemberRole(account, Role.INVESTIGATOR)).to.equal(true);
      expect(await consortium.hasMemberRole(account, Role.SUPERVISOR)).to.equal(true);
      expect(await consortium.hasMemberRole(account, Role.ORG_ADMIN)).to.equal(false);
      expect(await consortium.hasMemberRole(account, Role.DATA_STEWARD)).to.equal(false);
      expect(await consortium.hasMemberRole(account, Role.AUDITOR)).to.equal(false);
    });

    it("should answer hasMemberRole false while the member's organization is suspended", async function () {
      const { consortium, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await consortium.suspendOrganization(organizations.bureauId);
      expect(await consortium.hasMemberRole(signers.investigator.address, Role.INVESTIGATOR)).to.equal(false);
      await consortium.reinstateOrganization(organizations.bureauId);
      expect(await consortium.hasMemberRole(signers.investigator.address, Role.INVESTIGATOR)).to.equal(true);
    });
  });

  describe("governance handover", function () {
    it("should schedule the transfer after the configured delay", async function () {
      const { consortium, newGovernance, schedule } = await loadFixture(scenarioWithTransferStarted);
      const [pending, pendingSchedule] = await consortium.pendingDefaultAdmin();
      expect(pending).to.equal(newGovernance.address);
      expect(pendingSchedule).to.equal(schedule);
      const startedAt = await time.latest();
      expect(schedule).to.equal(BigInt(startedAt + ADMIN_TRANSFER_DELAY));
    });

    it("should emit DefaultAdminTransferScheduled when governance begins a transfer", async function () {
      const { consortium, newcomer } = await loadFixture(scenarioWithNewcomers);
      const transaction = await consortium.beginDefaultAdminTransfer(newcomer.address);
      const startedAt = (await ethers.provider.getBlock(transaction.blockNumber!))!.timestamp;
      await expect(transaction)
        .to.emit(consortium, "DefaultAdminTransferScheduled")
        .withArgs(newcomer.address, startedAt + ADMIN_TRANSFER_DELAY);
    });

    it("should keep the old governance in charge until the transfer is accepted", async function () {
      const { consortium, governance, newGovernance } = await loadFixture(scenarioWithTransferStarted);
      expect(await consortium.isGovernance(governance.address)).to.equal(true);
      expect(await consortium.isGovernance(newGovernance.address)).to.equal(false);
    });

    it("should refuse accepting before the delay has passed", async function () {
      const { consortium, newGovernance, schedule } = await loadFixture(scenarioWithTransferStarted);
      await expect(consortium.connect(newGovernance).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(consortium, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
    });

    it("should refuse accepting by an account other than the pending governance", async function () {
      const { consortium, signers } = await loadFixture(scenarioWithTransferStarted);
      await time.increase(ADMIN_TRANSFER_DELAY);
      await expect(consortium.connect(signers.outsider).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(consortium, "AccessControlInvalidDefaultAdmin")
        .withArgs(signers.outsider.address);
    });

    it("should hand governance over once the delay has passed", async function () {
      const { consortium, governance, newGovernance } = await loadFixture(scenarioWithTransferStarted);
      await time.increase(ADMIN_TRANSFER_DELAY);
      await expect(consortium.connect(newGovernance).acceptDefaultAdminTransfer())
        .to.emit(consortium, "RoleRevoked")
        .withArgs(DEFAULT_ADMIN_ROLE, governance.address, newGovernance.address)
        .and.to.emit(consortium, "RoleGranted")
        .withArgs(DEFAULT_ADMIN_ROLE, newGovernance.address, newGovernance.address);
      expect(await consortium.isGovernance(newGovernance.address)).to.equal(true);
      expect(await consortium.isGovernance(governance.address)).to.equal(false);
      expect(await consortium.defaultAdmin()).to.equal(newGovernance.address);
      const [pending, schedule] = await consortium.pendingDefaultAdmin();
      expect(pending).to.equal(ethers.ZeroAddress);
      expect(schedule).to.equal(0n);
    });

    it("should let the new governance register organizations and refuse the old one", async function () {
      const { consortium, governance, newGovernance, newcomer } = await loadFixture(scenarioWithTransferStarted);
      await time.increase(ADMIN_TRANSFER_DELAY);
      await consortium.connect(newGovernance).acceptDefaultAdminTransfer();
      const nextId = (await consortium.organizationCount()) + 1n;

      await expect(
        consortium.connect(governance).registerOrganization(Kind.MUNICIPAL, "City Hall", "", newcomer.address),
      )
        .to.be.revertedWithCustomError(consortium, "AccessControlUnauthorizedAccount")
        .withArgs(governance.address, DEFAULT_ADMIN_ROLE);

      await expect(
        consortium.connect(newGovernance).registerOrganization(Kind.MUNICIPAL, "City Hall", "", newcomer.address),
      )
        .to.emit(consortium, "OrganizationRegistered")
        .withArgs(nextId, Kind.MUNICIPAL, "City Hall", "")
        .and.to.emit(consortium, "MemberAdded")
        .withArgs(nextId, newcomer.address, roleMask(Role.ORG_ADMIN), newGovernance.address);
    });

    it("should let the new governance manage any organization's members", async function () {
      const { consortium, governance, organizations, signers, newGovernance } =
        await loadFixture(scenarioWithTransferStarted);
      await time.increase(ADMIN_TRANSFER_DELAY);
      await consortium.connect(newGovernance).acceptDefaultAdminTransfer();
      await expect(consortium.connect(newGovernance).removeMember(signers.auditor.address))
        .to.emit(consortium, "MemberRemoved")
        .withArgs(organizations.oversightId, signers.auditor.address, newGovernance.address);
      await expect(consortium.connect(governance).removeMember(signers.telecomSteward.address))
        .to.be.revertedWithCustomError(consortium, "ConsortiumUnauthorizedAccount")
        .withArgs(governance.address, organizations.telecomId);
    });

    it("should refuse granting the governance role directly", async function () {
      const { consortium, newcomer } = await loadFixture(scenarioWithNewcomers);
      await expect(consortium.grantRole(DEFAULT_ADMIN_ROLE, newcomer.address)).to.be.revertedWithCustomError(
        consortium,
        "AccessControlEnforcedDefaultAdminRules",
      );
    });
  });
});
