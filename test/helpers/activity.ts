import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { HDNodeWallet, id, JsonRpcProvider, Mnemonic, NonceManager } from "ethers";
import { deploySuite, writeDeployment } from "../../scripts/lib/deployment";
import type { DeploymentRecord, Suite } from "../../scripts/lib/deployment";

/** The public development mnemonic both `hardhat node` and Anvil fund their accounts from. */
const DEV_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");

/** The suite's actors, by the index of the dev account each uses. */
const ACTORS = {
  governance: 0,
  telecomAdmin: 1,
  telecomSteward: 2,
  bankAdmin: 3,
  bankSteward: 4,
  bureauAdmin: 5,
  investigator: 6,
  supervisor: 7,
  oversightAdmin: 8,
  auditor: 9,
  temporary: 10,
  visitor: 11,
} as const;
type Actor = keyof typeof ACTORS;

/** The suite deployed with the project's deployment library on a node, and a signer per actor. */
export interface Deployment {
  provider: JsonRpcProvider;
  suite: Suite;
  record: DeploymentRecord;
  /** The record's file, as the indexer reads it. */
  deploymentsFile: string;
  signers: Record<Actor, NonceManager>;
  /** Each actor's address, lower-cased as the index stores it. */
  addresses: Record<Actor, string>;
}

/** A dev account's wallet on `provider`, its nonces tracked locally so transactions can be sent back to back. */
function devSigner(index: number, provider: JsonRpcProvider): NonceManager {
  return new NonceManager(HDNodeWallet.fromMnemonic(DEV_MNEMONIC, `m/44'/60'/0'/0/${index}`).connect(provider));
}

/** Deploys the suite on the node at `url` and writes its record to a fresh temporary folder. */
export async function deployOnNode(url: string): Promise<Deployment> {
  const provider = new JsonRpcProvider(url, undefined, { cacheTimeout: -1, pollingInterval: 50 });
  const entries = Object.entries(ACTORS).map(([name, index]) => [name, devSigner(index, provider)] as const);
  const signers = Object.fromEntries(entries) as Record<Actor, NonceManager>;
  const { suite, record } = await deploySuite(signers.governance, { adminTransferDelaySeconds: 3600 });
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-deployments-"));
  process.once("exit", () => fs.rmSync(directory, { recursive: true, force: true }));
  const deploymentsFile = path.join(directory, `${record.chainId}.json`);
  writeDeployment(deploymentsFile, record);
  const addressEntries = await Promise.all(
    entries.map(async ([name, signer]) => [name, (await signer.getAddress()).toLowerCase()] as const),
  );
  return { provider, suite, record, deploymentsFile, signers, addresses: Object.fromEntries(addressEntries) as never };
}

/** Sends a transaction and waits for its receipt. */
export async function mined(sent: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await sent).wait();
}

/** What {driveEveryEvent} created, for tests to look up in the index. */
export interface Activity {
  organizations: { telecom: bigint; bank: bigint; bureau: bigint; oversight: bigint; temporary: bigint };
  sources: { callRecords: string; transfers: string; retired: string };
  attestations: { kept: bigint; revoked: bigint };
  requests: { delivered: string; rejected: string; revoked: string };
  deliveryId: bigint;
}

/**
 * Calls every state-changing function of the suite at least once, so every event type the indexer knows is
 * emitted: organizations (registered, suspended, reinstated), members (added, roles updated, removed), sources
 * (registered, schema updated, retired), attestations (recorded, revoked), requests (submitted, endorsed,
 * approved, rejected, revoked), a delivery and its acknowledgement, a nonce increase, a new grant duration and a
 * pause.
 */
export async function driveEveryEvent(deployment: Deployment): Promise<Activity> {
  const { suite, signers, addresses } = deployment;
  const consortium = suite.consortium;
  const register = async (kind: number, name: string, admin: Actor) => {
    await mined(
      consortium.connect(signers.governance).registerOrganization(kind, name, `ipfs://dxl/${name}`, addresses[admin]),
    );
    return consortium.organizationCount();
  };
  const telecom = await register(0, "Metro Telecom", "telecomAdmin");
  const bank = await register(1, "City Bank", "bankAdmin");
  const bureau = await register(5, "Public Security Bureau", "bureauAdmin");
  const oversight = await register(6, "Oversight Office", "oversightAdmin");
  const temporary = await register(3, "Grid Power", "temporary");

  await mined(consortium.connect(signers.telecomAdmin).addMember(telecom, addresses.telecomSteward, 0b10));
  await mined(consortium.connect(signers.bankAdmin).addMember(bank, addresses.bankSteward, 0b10));
  await mined(consortium.connect(signers.bureauAdmin).addMember(bureau, addresses.investigator, 0b100));
  await mined(consortium.connect(signers.bureauAdmin).addMember(bureau, addresses.supervisor, 0b100));
  await mined(consortium.connect(signers.bureauAdmin).setMemberRoles(addresses.supervisor, 0b1000));
  await mined(consortium.connect(signers.oversightAdmin).addMember(oversight, addresses.auditor, 0b10000));
  await mined(consortium.connect(signers.oversightAdmin).addMember(oversight, addresses.visitor, 0b10000));
  await mined(consortium.connect(signers.oversightAdmin).removeMember(addresses.visitor));
  await mined(consortium.connect(signers.governance).suspendOrganization(temporary));
  await mined(consortium.connect(signers.governance).reinstateOrganization(temporary));
  await mined(consortium.connect(signers.governance).pause());
  await mined(consortium.connect(signers.governance).unpause());

  const sources = await registerSources(deployment, telecom, bank);
  const attestations = await attestAndRevoke(deployment, sources.callRecords);
  const requests = await requestAndDecide(deployment, sources);
  const accessGrants = suite.accessGrants;
  await mined(
    accessGrants
      .connect(signers.telecomSteward)
      .recordDelivery(requests.delivered, attestations.kept, id("payload"), 10),
  );
  const deliveryId = await accessGrants.deliveryCount();
  await mined(accessGrants.connect(signers.investigator).acknowledgeDelivery(deliveryId, 2, 7));
  await mined(accessGrants.connect(signers.supervisor).increaseNonce(5));
  await mined(accessGrants.connect(signers.governance).setMaxGrantDuration(60 * 86_400));
  return {
    organizations: { telecom, bank, bureau, oversight, temporary },
    sources,
    attestations,
    requests,
    deliveryId,
  };
}

async function registerSources(deployment: Deployment, telecom: bigint, bank: bigint) {
  const { dataSources } = deployment.suite;
  const { signers } = deployment;
  const register = async (steward: Actor, organization: bigint, name: string, sensitivity: number) => {
    await mined(
      dataSources
        .connect(signers[steward])
        .registerSource(name, id(`schema:${name}`), `ipfs://schemas/${name}`, sensitivity, false),
    );
    return dataSources.sourceIdOf(organization, name);
  };
  const callRecords = await register("telecomSteward", telecom, "call-records", 1);
  const transfers = await register("bankSteward", bank, "transfers", 3);
  const retired = await register("telecomSteward", telecom, "legacy-cdr", 0);
  await mined(
    dataSources
      .connect(signers.telecomSteward)
      .updateSchema(callRecords, id("schema:call-records:v2"), "ipfs://schemas/call-records/v2"),
  );
  await mined(dataSources.connect(signers.telecomSteward).retireSource(retired));
  return { callRecords, transfers, retired };
}

async function attestAndRevoke(deployment: Deployment, sourceId: string) {
  const attestations = deployment.suite.attestations.connect(deployment.signers.telecomSteward);
  const batch = (previousAttestationId: bigint, day: number) => ({
    sourceId,
    merkleRoot: id(`root:${day}`),
    recordCount: 100,
    periodStart: 1_704_067_200 + day * 86_400,
    periodEnd: 1_704_067_200 + (day + 1) * 86_400,
    previousAttestationId,
    dataURI: `ipfs://batches/call-records/${day}`,
  });
  await mined(attestations.attestBatch([batch(0n, 0), batch(1n, 1)]));
  await mined(attestations.revokeAttestation(2n, "superseded by a corrected batch"));
  return { kept: 1n, revoked: 2n };
}

async function requestAndDecide(deployment: Deployment, sources: { callRecords: string; transfers: string }) {
  const { accessGrants } = deployment.suite;
  const { signers, addresses } = deployment;
  const latest = (await deployment.provider.getBlock("latest"))!.timestamp;
  const submit = async (sourceId: string, caseLabel: string) => {
    const request = {
      requester: addresses.investigator,
      sourceId,
      caseRef: id(`case:${caseLabel}`),
      scopeHash: id(`scope:${caseLabel}`),
      purpose: 1,
      notBefore: latest,
      notAfter: latest + 30 * 86_400,
      maxDeliveries: 3,
      nonce: await accessGrants.nonces(addresses.investigator),
      deadline: latest + 3_600,
    };
    const requestId = await accessGrants.requestIdOf(request);
    await mined(accessGrants.connect(signers.investigator).submitRequest(request));
    return requestId;
  };
  const delivered = await submit(sources.callRecords, "2024-HZ-0117");
  const rejected = await submit(sources.callRecords, "2024-HZ-0118");
  const revoked = await submit(sources.transfers, "2024-HZ-0119");
  await mined(accessGrants.connect(signers.supervisor).endorse(revoked));
  await mined(accessGrants.connect(signers.telecomSteward).approve(delivered));
  await mined(accessGrants.connect(signers.telecomSteward).reject(rejected, 3));
  await mined(accessGrants.connect(signers.auditor).revoke(revoked, 9));
  return { delivered, rejected, revoked };
}

/**
 * Attests `batches` batches of `perBatch` attestations each for the call-records source of the telecom that
 * {driveEveryEvent} registered, one transaction per batch: the cheapest way to produce many events.
 */
export async function attestInBulk(
  deployment: Deployment,
  sourceId: string,
  batches: number,
  perBatch: number,
  label = "bulk",
) {
  const attestations = deployment.suite.attestations.connect(deployment.signers.telecomSteward);
  for (let index = 0; index < batches; index++) {
    const chain = await attestations.getSourceChain(sourceId);
    const first = (await attestations.attestationCount()) + 1n;
    const requests = Array.from({ length: perBatch }, (_, offset) => ({
      sourceId,
      merkleRoot: id(`${label}:${first + BigInt(offset)}`),
      recordCount: 1_000,
      periodStart: chain.lastPeriodEnd + BigInt(offset),
      periodEnd: chain.lastPeriodEnd + BigInt(offset) + 1n,
      previousAttestationId: offset === 0 ? chain.headAttestationId : first + BigInt(offset) - 1n,
      dataURI: "",
    }));
    await mined(attestations.attestBatch(requests));
  }
}

/** Forgets the signers' locally counted nonces, after the chain was rewound under them. */
export function resetNonces(deployment: Deployment): void {
  for (const signer of Object.values(deployment.signers)) signer.reset();
}
