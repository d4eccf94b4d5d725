import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deploySuite } from "../../scripts/lib/deployment";
import { Kind, Role, roleMask } from "../../scripts/lib/suite-values";

export {
  Acknowledgement,
  Kind,
  RecordVerification,
  RequestStatus,
  Role,
  roleMask,
} from "../../scripts/lib/suite-values";

export const ADMIN_TRANSFER_DELAY = 3600;
export const DAY = 86_400;

/** The suite as the real deployment script deploys it, governed by the first signer. */
export async function deployedSuite() {
  const [governance] = await ethers.getSigners();
  const { suite, record } = await deploySuite(governance, { adminTransferDelaySeconds: ADMIN_TRANSFER_DELAY });
  return { ...suite, record, governance };
}

/** The scenario's accounts, in the order of the node's funded accounts after the governance account. */
const SCENARIO_ACCOUNTS = [
  "telecomAdmin",
  "telecomSteward",
  "bankAdmin",
  "bankSteward",
  "bureauAdmin",
  "investigator",
  "supervisor",
  "secondInvestigator",
  "oversightAdmin",
  "auditor",
  "outsider",
  "relayer",
] as const;

/**
 * A small consortium on the deployed suite: a telecom and a bank (holders), the public security bureau and an
 * oversight office, each with its members, and three sources of rising sensitivity.
 */
export async function consortiumScenario() {
  const deployed = await deployedSuite();
  const { consortium, dataSources } = deployed;
  const accounts = await ethers.getSigners();
  const signers = Object.fromEntries(SCENARIO_ACCOUNTS.map((name, index) => [name, accounts[index + 1]])) as Record<
    (typeof SCENARIO_ACCOUNTS)[number],
    HardhatEthersSigner
  >;
  const { telecomAdmin, telecomSteward, bankAdmin, bankSteward, bureauAdmin, oversightAdmin } = signers;

  const register = async (kind: number, name: string, admin: HardhatEthersSigner) => {
    await consortium.registerOrganization(kind, name, `ipfs://dxl/${name}`, admin.address);
    return consortium.organizationCount();
  };
  const telecomId = await register(Kind.TELECOM, "Metro Telecom", telecomAdmin);
  const bankId = await register(Kind.BANK, "City Bank", bankAdmin);
  const bureauId = await register(Kind.PUBLIC_SECURITY, "Public Security Bureau", bureauAdmin);
  const oversightId = await register(Kind.OVERSIGHT, "Oversight Office", oversightAdmin);

  await consortium.connect(telecomAdmin).addMember(telecomId, telecomSteward.address, roleMask(Role.DATA_STEWARD));
  await consortium.connect(bankAdmin).addMember(bankId, bankSteward.address, roleMask(Role.DATA_STEWARD));
  const bureau = consortium.connect(bureauAdmin);
  await bureau.addMember(bureauId, signers.investigator.address, roleMask(Role.INVESTIGATOR));
  await bureau.addMember(bureauId, signers.supervisor.address, roleMask(Role.SUPERVISOR));
  await bureau.addMember(bureauId, signers.secondInvestigator.address, roleMask(Role.INVESTIGATOR, Role.SUPERVISOR));
  await consortium.connect(oversightAdmin).addMember(oversightId, signers.auditor.address, roleMask(Role.AUDITOR));

  const registerSource = async (
    steward: HardhatEthersSigner,
    organizationId: bigint,
    name: string,
    sensitivity: number,
    endorsementRequired: boolean,
  ) => {
    await dataSources
      .connect(steward)
      .registerSource(name, ethers.id(`schema:${name}`), `ipfs://schemas/${name}`, sensitivity, endorsementRequired);
    return dataSources.sourceIdOf(organizationId, name);
  };
  const callRecords = await registerSource(telecomSteward, telecomId, "call-records", 1, false);
  const cellLocations = await registerSource(telecomSteward, telecomId, "cell-locations", 2, false);
  const transfers = await registerSource(bankSteward, bankId, "transfers", 3, true);

  return {
    ...deployed,
    signers,
    organizations: { telecomId, bankId, bureauId, oversightId },
    sources: { callRecords, cellLocations, transfers },
  };
}

export type ConsortiumScenario = Awaited<ReturnType<typeof consortiumScenario>>;

/** Seconds of the latest block. */
export async function now(): Promise<number> {
  return time.latest();
}
