import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Kind, Role, consortiumScenario, roleMask } from "../helpers/suite";

const coder = ethers.AbiCoder.defaultAbiCoder();

/** The source id as DESIGN.md defines it, computed off chain: `keccak256(abi.encode(uint64, string))`. */
function sourceIdOf(organizationId: bigint, name: string): string {
  return ethers.keccak256(coder.encode(["uint64", "string"], [organizationId, name]));
}

const SCHEMA_V1 = ethers.id("schema:subscribers:v1");
const SCHEMA_V2 = ethers.id("schema:subscribers:v2");
const SCHEMA_V3 = ethers.id("schema:subscribers:v3");

/** The consortium scenario with two accounts that belong to no organization yet. */
async function scenarioWithNewcomers() {
  const scenario = await consortiumScenario();
  const [newcomer, secondNewcomer] = (await ethers.getSigners()).slice(13);
  return { ...scenario, newcomer, secondNewcomer };
}

type Scenario = Awaited<ReturnType<typeof scenarioWithNewcomers>>;

/** The scenario with the telecom's "subscribers" source registered by its steward, at tier 1. */
async function scenarioWithSubscribers() {
  const scenario = await scenarioWithNewcomers();
  const { dataSources, organizations, signers } = scenario;
  await dataSources
    .connect(signers.telecomSteward)
    .registerSource("subscribers", SCHEMA_V1, "ipfs://schemas/subscribers/1", 1, false);
  return { ...scenario, subscribers: sourceIdOf(organizations.telecomId, "subscribers") };
}

/** The scenario with the telecom's "subscribers" source retired. */
async function scenarioWithRetiredSubscribers() {
  const scenario = await scenarioWithSubscribers();
  await scenario.dataSources.connect(scenario.signers.telecomSteward).retireSource(scenario.subscribers);
  return scenario;
}

describe("DataSourceRegistry", function () {
  describe("deployment", function () {
    it("should be tied to the deployed Consortium", async function () {
      const { consortium, dataSources } = await loadFixture(scenarioWithNewcomers);
      expect(await dataSources.consortium()).to.equal(await consortium.getAddress());
    });

    it("should report version 1.0.0, as the deployment record does", async function () {
      const { dataSources, record } = await loadFixture(scenarioWithNewcomers);
      expect(await dataSources.version()).to.equal("1.0.0");
      expect(record.contracts.DataSourceRegistry?.address).to.equal(await dataSources.getAddress());
      expect(record.contracts.DataSourceRegistry?.version).to.equal("1.0.0");
    });

    it("should publish its sensitivity limits", async function () {
      const { dataSources } = await loadFixture(scenarioWithNewcomers);
      expect(await dataSources.MAX_SENSITIVITY()).to.equal(3n);
      expect(await dataSources.ENDORSEMENT_SENSITIVITY()).to.equal(2n);
    });
  });

  describe("source ids", function () {
    it("should compute keccak256(abi.encode(organizationId, name))", async function () {
      const { dataSources } = await loadFixture(scenarioWithNewcomers);
      for (const [organizationId, name] of [
        [1n, "call-records"],
        [2n, "call-records"],
        [7n, ""],
        [2n ** 64n - 1n, "ünïcode source 数据"],
      ] as const) {
        expect(await dataSources.sourceIdOf(organizationId, name)).to.equal(sourceIdOf(organizationId, name));
      }
    });

    it("should give the scenario's sources the ids computed off chain", async function () {
      const { organizations, sources } = await loadFixture(scenarioWithNewcomers);
      expect(sources.callRecords).to.equal(sourceIdOf(organizations.telecomId, "call-records"));
      expect(sources.cellLocations).to.equal(sourceIdOf(organizations.telecomId, "cell-locations"));
      expect(sources.transfers).to.equal(sourceIdOf(organizations.bankId, "transfers"));
    });
  });

  describe("registering sources", function () {
    it("should return the source id, equal to sourceIdOf and to the off-chain computation", async function () {
      const { dataSources, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const returned = await dataSources
        .connect(signers.telecomSteward)
        .registerSource.staticCall("subscribers", SCHEMA_V1, "ipfs://schemas/subscribers/1", 1, false);
      expect(returned).to.equal(await dataSources.sourceIdOf(organizations.telecomId, "subscribers"));
      expect(returned).to.equal(sourceIdOf(organizations.telecomId, "subscribers"));
    });

    it("should emit DataSourceRegistered and store the source at schema version 1", async function () {
      const { dataSources, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const sourceId = sourceIdOf(organizations.telecomId, "subscribers");
      await expect(
        dataSources
          .connect(signers.telecomSteward)
          .registerSource("subscribers", SCHEMA_V1, "ipfs://schemas/subscribers/1", 1, true),
      )
        .to.emit(dataSources, "DataSourceRegistered")
        .withArgs(
          sourceId,
          organizations.telecomId,
          "subscribers",
          SCHEMA_V1,
          "ipfs://schemas/subscribers/1",
          1,
          true,
          signers.telecomSteward.address,
        );
      const source = await dataSources.getSource(sourceId);
      expect(source.organizationId).to.equal(organizations.telecomId);
      expect(source.schemaVersion).to.equal(1n);
      expect(source.sensitivity).to.equal(1n);
      expect(source.endorsementRequired).to.equal(true);
      expect(source.retired).to.equal(false);
      expect(source.schemaHash).to.equal(SCHEMA_V1);
    });

    const tiers = [0, 1, 2, 3].flatMap((sensitivity) =>
      [false, true].map((asked) => ({ sensitivity, asked, expected: asked || sensitivity >= 2 })),
    );
    for (const { sensitivity, asked, expected } of tiers) {
      it(`should store endorsementRequired ${expected} for tier ${sensitivity} when ${asked} is asked`, async function () {
        const { dataSources, organizations, signers } = await loadFixture(scenarioWithNewcomers);
        const name = `tier-${sensitivity}-${asked}`;
        const sourceId = sourceIdOf(organizations.bankId, name);
        await expect(dataSources.connect(signers.bankSteward).registerSource(name, SCHEMA_V1, "", sensitivity, asked))
          .to.emit(dataSources, "DataSourceRegistered")
          .withArgs(
            sourceId,
            organizations.bankId,
            name,
            SCHEMA_V1,
            "",
            sensitivity,
            expected,
            signers.bankSteward.address,
          );
        const source = await dataSources.getSource(sourceId);
        expect(source.sensitivity).to.equal(sensitivity);
        expect(source.endorsementRequired).to.equal(expected);
      });
    }

    it("should have forced endorsement on for the scenario's tier 2 source registered without it", async function () {
      const { dataSources, sources } = await loadFixture(scenarioWithNewcomers);
      expect((await dataSources.getSource(sources.callRecords)).endorsementRequired).to.equal(false);
      expect((await dataSources.getSource(sources.cellLocations)).endorsementRequired).to.equal(true);
      expect((await dataSources.getSource(sources.transfers)).endorsementRequired).to.equal(true);
    });

    it("should give the same name in two organizations two different sources", async function () {
      const { dataSources, organizations, signers, sources } = await loadFixture(scenarioWithNewcomers);
      const bankCallRecords = sourceIdOf(organizations.bankId, "call-records");
      expect(bankCallRecords).to.not.equal(sources.callRecords);
      await expect(dataSources.connect(signers.bankSteward).registerSource("call-records", SCHEMA_V1, "", 0, false))
        .to.emit(dataSources, "DataSourceRegistered")
        .withArgs(
          bankCallRecords,
          organizations.bankId,
          "call-records",
          SCHEMA_V1,
          "",
          0,
          false,
          signers.bankSteward.address,
        );
      expect((await dataSources.getSource(bankCallRecords)).organizationId).to.equal(organizations.bankId);
      expect((await dataSources.getSource(sources.callRecords)).organizationId).to.equal(organizations.telecomId);
    });

    const holderKinds = ["TELECOM", "BANK", "WATER_UTILITY", "POWER_UTILITY", "MUNICIPAL"] as const;
    for (const kindName of holderKinds) {
      const kind = Kind[kindName];
      it(`should accept a steward of a ${kindName} organization`, async function () {
        const { consortium, dataSources, newcomer, secondNewcomer } = await loadFixture(scenarioWithNewcomers);
        await consortium.registerOrganization(kind, `Holder of kind ${kind}`, "", newcomer.address);
        const organizationId = await consortium.organizationCount();
        await consortium.addMember(organizationId, secondNewcomer.address, roleMask(Role.DATA_STEWARD));
        await expect(dataSources.connect(secondNewcomer).registerSource("accounts", SCHEMA_V1, "", 0, false))
          .to.emit(dataSources, "DataSourceRegistered")
          .withArgs(
            sourceIdOf(organizationId, "accounts"),
            organizationId,
            "accounts",
            SCHEMA_V1,
            "",
            0,
            false,
            secondNewcomer.address,
          );
      });
    }

    it("should accept an ORG_ADMIN that also holds DATA_STEWARD", async function () {
      const { consortium, dataSources, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      const admin = signers.bankAdmin;
      await consortium.connect(admin).setMemberRoles(admin.address, roleMask(Role.ORG_ADMIN, Role.DATA_STEWARD));
      await expect(dataSources.connect(admin).registerSource("accounts", SCHEMA_V1, "", 2, false))
        .to.emit(dataSources, "DataSourceRegistered")
        .withArgs(
          sourceIdOf(organizations.bankId, "accounts"),
          organizations.bankId,
          "accounts",
          SCHEMA_V1,
          "",
          2,
          true,
          admin.address,
        );
    });

    it("should reject a name already registered by the organization", async function () {
      const { dataSources, signers, sources } = await loadFixture(scenarioWithNewcomers);
      await expect(
        dataSources.connect(signers.telecomSteward).registerSource("call-records", SCHEMA_V2, "ipfs://other", 3, true),
      )
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryAlreadyRegistered")
        .withArgs(sources.callRecords);
      const source = await dataSources.getSource(sources.callRecords);
      expect(source.schemaHash).to.equal(ethers.id("schema:call-records"));
      expect(source.sensitivity).to.equal(1n);
    });

    it("should reject re-registering the name of a retired source", async function () {
      const { dataSources, signers, subscribers } = await loadFixture(scenarioWithRetiredSubscribers);
      await expect(dataSources.connect(signers.telecomSteward).registerSource("subscribers", SCHEMA_V2, "", 1, false))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryAlreadyRegistered")
        .withArgs(subscribers);
    });

    it("should reject an empty name", async function () {
      const { dataSources, signers } = await loadFixture(scenarioWithNewcomers);
      await expect(
        dataSources.connect(signers.telecomSteward).registerSource("", SCHEMA_V1, "", 0, false),
      ).to.be.revertedWithCustomError(dataSources, "DataSourceRegistryEmptyName");
    });

    it("should reject a zero schema hash", async function () {
      const { dataSources, signers } = await loadFixture(scenarioWithNewcomers);
      await expect(
        dataSources.connect(signers.telecomSteward).registerSource("subscribers", ethers.ZeroHash, "", 0, false),
      ).to.be.revertedWithCustomError(dataSources, "DataSourceRegistryInvalidSchemaHash");
    });

    for (const sensitivity of [4, 255]) {
      it(`should reject sensitivity tier ${sensitivity}`, async function () {
        const { dataSources, signers } = await loadFixture(scenarioWithNewcomers);
        await expect(
          dataSources.connect(signers.telecomSteward).registerSource("subscribers", SCHEMA_V1, "", sensitivity, true),
        )
          .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryInvalidSensitivity")
          .withArgs(sensitivity);
      });
    }

    it("should refuse a DATA_STEWARD of the public security bureau, which holds no data", async function () {
      const { consortium, dataSources, organizations, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
      await consortium
        .connect(signers.bureauAdmin)
        .addMember(organizations.bureauId, newcomer.address, roleMask(Role.DATA_STEWARD));
      await expect(dataSources.connect(newcomer).registerSource("suspects", SCHEMA_V1, "", 3, true))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryNotHolder")
        .withArgs(organizations.bureauId, Kind.PUBLIC_SECURITY);
    });

    it("should refuse a DATA_STEWARD of the oversight office, which holds no data", async function () {
      const { consortium, dataSources, organizations, signers, newcomer } = await loadFixture(scenarioWithNewcomers);
      await consortium
        .connect(signers.oversightAdmin)
        .addMember(organizations.oversightId, newcomer.address, roleMask(Role.DATA_STEWARD, Role.AUDITOR));
      await expect(dataSources.connect(newcomer).registerSource("audits", SCHEMA_V1, "", 0, false))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryNotHolder")
        .withArgs(organizations.oversightId, Kind.OVERSIGHT);
    });

    type Caller = { description: string; pick: (scenario: Scenario) => HardhatEthersSigner };
    const withoutStewardRole: Caller[] = [
      { description: "an ORG_ADMIN without DATA_STEWARD", pick: (scenario) => scenario.signers.telecomAdmin },
      { description: "an investigator", pick: (scenario) => scenario.signers.investigator },
      { description: "an oversight auditor", pick: (scenario) => scenario.signers.auditor },
      { description: "an outsider", pick: (scenario) => scenario.signers.outsider },
    ];
    for (const caller of withoutStewardRole) {
      it(`should refuse ${caller.description}`, async function () {
        const scenario = await loadFixture(scenarioWithNewcomers);
        const account = caller.pick(scenario);
        await expect(scenario.dataSources.connect(account).registerSource("subscribers", SCHEMA_V1, "", 0, false))
          .to.be.revertedWithCustomError(scenario.dataSources, "MemberMissingRole")
          .withArgs(account.address, Role.DATA_STEWARD);
      });
    }

    it("should refuse a steward whose DATA_STEWARD role was taken away", async function () {
      const { consortium, dataSources, signers } = await loadFixture(scenarioWithNewcomers);
      await consortium
        .connect(signers.telecomAdmin)
        .setMemberRoles(signers.telecomSteward.address, roleMask(Role.AUDITOR));
      await expect(dataSources.connect(signers.telecomSteward).registerSource("subscribers", SCHEMA_V1, "", 0, false))
        .to.be.revertedWithCustomError(dataSources, "MemberMissingRole")
        .withArgs(signers.telecomSteward.address, Role.DATA_STEWARD);
    });

    it("should refuse a steward of a suspended organization", async function () {
      const { consortium, dataSources, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await consortium.suspendOrganization(organizations.telecomId);
      await expect(dataSources.connect(signers.telecomSteward).registerSource("subscribers", SCHEMA_V1, "", 0, false))
        .to.be.revertedWithCustomError(dataSources, "OrganizationInactive")
        .withArgs(organizations.telecomId);
    });

    it("should accept the steward again once its organization is reinstated", async function () {
      const { consortium, dataSources, organizations, signers } = await loadFixture(scenarioWithNewcomers);
      await consortium.suspendOrganization(organizations.telecomId);
      await consortium.reinstateOrganization(organizations.telecomId);
      await expect(dataSources.connect(signers.telecomSteward).registerSource("subscribers", SCHEMA_V1, "", 0, false))
        .to.emit(dataSources, "DataSourceRegistered")
        .withArgs(
          sourceIdOf(organizations.telecomId, "subscribers"),
          organizations.telecomId,
          "subscribers",
          SCHEMA_V1,
          "",
          0,
          false,
          signers.telecomSteward.address,
        );
    });
  });

  describe("updating schemas", function () {
    it("should return the next schema version", async function () {
      const { dataSources, signers, subscribers } = await loadFixture(scenarioWithSubscribers);
      expect(
        await dataSources
          .connect(signers.telecomSteward)
          .updateSchema.staticCall(subscribers, SCHEMA_V2, "ipfs://schemas/subscribers/2"),
      ).to.equal(2n);
    });

    it("should bump the version to 2 then 3, emitting DataSourceSchemaUpdated each time", async function () {
      const { dataSources, organizations, signers, subscribers } = await loadFixture(scenarioWithSubscribers);
      const steward = dataSources.connect(signers.telecomSteward);
      for (const [version, schemaHash] of [
        [2n, SCHEMA_V2],
        [3n, SCHEMA_V3],
      ] as const) {
        const schemaURI = `ipfs://schemas/subscribers/${version}`;
        expect(await steward.updateSchema.staticCall(subscribers, schemaHash, schemaURI)).to.equal(version);
        await expect(steward.updateSchema(subscribers, schemaHash, schemaURI))
          .to.emit(dataSources, "DataSourceSchemaUpdated")
          .withArgs(subscribers, version, schemaHash, schemaURI, signers.telecomSteward.address);
        const source = await dataSources.getSource(subscribers);
        expect(source.schemaVersion).to.equal(version);
        expect(source.schemaHash).to.equal(schemaHash);
        expect(source.organizationId).to.equal(organizations.telecomId);
        expect(source.sensitivity).to.equal(1n);
        expect(source.endorsementRequired).to.equal(false);
        expect(source.retired).to.equal(false);
      }
    });

    it("should accept another DATA_STEWARD of the same organization", async function () {
      const { consortium, dataSources, organizations, signers, subscribers, newcomer } =
        await loadFixture(scenarioWithSubscribers);
      await consortium
        .connect(signers.telecomAdmin)
        .addMember(organizations.telecomId, newcomer.address, roleMask(Role.DATA_STEWARD));
      await expect(dataSources.connect(newcomer).updateSchema(subscribers, SCHEMA_V2, ""))
        .to.emit(dataSources, "DataSourceSchemaUpdated")
        .withArgs(subscribers, 2n, SCHEMA_V2, "", newcomer.address);
    });

    it("should reject a zero schema hash", async function () {
      const { dataSources, signers, subscribers } = await loadFixture(scenarioWithSubscribers);
      await expect(
        dataSources.connect(signers.telecomSteward).updateSchema(subscribers, ethers.ZeroHash, ""),
      ).to.be.revertedWithCustomError(dataSources, "DataSourceRegistryInvalidSchemaHash");
      expect((await dataSources.getSource(subscribers)).schemaVersion).to.equal(1n);
    });

    it("should reject an unknown source", async function () {
      const { dataSources, organizations, signers } = await loadFixture(scenarioWithSubscribers);
      const unknown = sourceIdOf(organizations.telecomId, "never-registered");
      await expect(dataSources.connect(signers.telecomSteward).updateSchema(unknown, SCHEMA_V2, ""))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryUnknownSource")
        .withArgs(unknown);
    });

    it("should refuse a steward of another holder organization", async function () {
      const { dataSources, organizations, signers, subscribers } = await loadFixture(scenarioWithSubscribers);
      await expect(dataSources.connect(signers.bankSteward).updateSchema(subscribers, SCHEMA_V2, ""))
        .to.be.revertedWithCustomError(dataSources, "AccountNotInOrganization")
        .withArgs(signers.bankSteward.address, organizations.telecomId);
    });

    it("should refuse the organization's ORG_ADMIN, who is not a DATA_STEWARD", async function () {
      const { dataSources, signers, subscribers } = await loadFixture(scenarioWithSubscribers);
      await expect(dataSources.connect(signers.telecomAdmin).updateSchema(subscribers, SCHEMA_V2, ""))
        .to.be.revertedWithCustomError(dataSources, "MemberMissingRole")
        .withArgs(signers.telecomAdmin.address, Role.DATA_STEWARD);
    });

    it("should refuse governance, which is no DATA_STEWARD", async function () {
      const { dataSources, governance, subscribers } = await loadFixture(scenarioWithSubscribers);
      await expect(dataSources.connect(governance).updateSchema(subscribers, SCHEMA_V2, ""))
        .to.be.revertedWithCustomError(dataSources, "MemberMissingRole")
        .withArgs(governance.address, Role.DATA_STEWARD);
    });

    it("should refuse a steward of a suspended organization", async function () {
      const { consortium, dataSources, organizations, signers, subscribers } =
        await loadFixture(scenarioWithSubscribers);
      await consortium.suspendOrganization(organizations.telecomId);
      await expect(dataSources.connect(signers.telecomSteward).updateSchema(subscribers, SCHEMA_V2, ""))
        .to.be.revertedWithCustomError(dataSources, "OrganizationInactive")
        .withArgs(organizations.telecomId);
    });

    it("should reject updating a retired source", async function () {
      const { dataSources, signers, subscribers } = await loadFixture(scenarioWithRetiredSubscribers);
      await expect(dataSources.connect(signers.telecomSteward).updateSchema(subscribers, SCHEMA_V2, ""))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistrySourceRetired")
        .withArgs(subscribers);
      expect((await dataSources.getSource(subscribers)).schemaVersion).to.equal(1n);
    });
  });

  describe("retiring sources", function () {
    it("should retire a source, emitting DataSourceRetired and keeping its other fields", async function () {
      const { dataSources, organizations, signers, subscribers } = await loadFixture(scenarioWithSubscribers);
      await expect(dataSources.connect(signers.telecomSteward).retireSource(subscribers))
        .to.emit(dataSources, "DataSourceRetired")
        .withArgs(subscribers, signers.telecomSteward.address);
      const source = await dataSources.getSource(subscribers);
      expect(source.retired).to.equal(true);
      expect(source.organizationId).to.equal(organizations.telecomId);
      expect(source.schemaVersion).to.equal(1n);
      expect(source.sensitivity).to.equal(1n);
      expect(source.endorsementRequired).to.equal(false);
      expect(source.schemaHash).to.equal(SCHEMA_V1);
    });

    it("should retire only the source named", async function () {
      const { dataSources, sources, subscribers } = await loadFixture(scenarioWithRetiredSubscribers);
      expect((await dataSources.getSource(subscribers)).retired).to.equal(true);
      for (const sourceId of Object.values(sources)) {
        expect((await dataSources.getSource(sourceId)).retired).to.equal(false);
      }
    });

    it("should reject retiring a source twice", async function () {
      const { dataSources, signers, subscribers } = await loadFixture(scenarioWithRetiredSubscribers);
      await expect(dataSources.connect(signers.telecomSteward).retireSource(subscribers))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistrySourceRetired")
        .withArgs(subscribers);
    });

    it("should reject an unknown source", async function () {
      const { dataSources, signers } = await loadFixture(scenarioWithSubscribers);
      const unknown = ethers.id("no such source");
      await expect(dataSources.connect(signers.telecomSteward).retireSource(unknown))
        .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryUnknownSource")
        .withArgs(unknown);
    });

    it("should refuse a steward of another holder organization", async function () {
      const { dataSources, organizations, signers, sources } = await loadFixture(scenarioWithSubscribers);
      await expect(dataSources.connect(signers.telecomSteward).retireSource(sources.transfers))
        .to.be.revertedWithCustomError(dataSources, "AccountNotInOrganization")
        .withArgs(signers.telecomSteward.address, organizations.bankId);
    });

    it("should refuse an account without DATA_STEWARD", async function () {
      const { dataSources, signers, subscribers } = await loadFixture(scenarioWithSubscribers);
      for (const account of [signers.telecomAdmin, signers.investigator, signers.outsider]) {
        await expect(dataSources.connect(account).retireSource(subscribers))
          .to.be.revertedWithCustomError(dataSources, "MemberMissingRole")
          .withArgs(account.address, Role.DATA_STEWARD);
      }
    });

    it("should refuse a steward of a suspended organization", async function () {
      const { consortium, dataSources, organizations, signers, subscribers } =
        await loadFixture(scenarioWithSubscribers);
      await consortium.suspendOrganization(organizations.telecomId);
      await expect(dataSources.connect(signers.telecomSteward).retireSource(subscribers))
        .to.be.revertedWithCustomError(dataSources, "OrganizationInactive")
        .withArgs(organizations.telecomId);
      expect((await dataSources.getSource(subscribers)).retired).to.equal(false);
    });
  });

  describe("reading sources", function () {
    it("should revert getSource for an id never registered", async function () {
      const { dataSources, organizations } = await loadFixture(scenarioWithNewcomers);
      for (const sourceId of [ethers.ZeroHash, sourceIdOf(organizations.bankId, "call-records")]) {
        await expect(dataSources.getSource(sourceId))
          .to.be.revertedWithCustomError(dataSources, "DataSourceRegistryUnknownSource")
          .withArgs(sourceId);
      }
    });

    it("should keep serving a retired source", async function () {
      const { dataSources, subscribers } = await loadFixture(scenarioWithRetiredSubscribers);
      expect((await dataSources.getSource(subscribers)).schemaHash).to.equal(SCHEMA_V1);
    });
  });
});
