import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Acknowledgement, Kind, RequestStatus, Role, consortiumScenario } from "../helpers/suite";
import { ACCESS_REQUEST_TYPES, accessGrantsDomain, signAccessRequest, type AccessRequest } from "../helpers/eip712";

// Model-based test of the access-grant state machine: random command sequences run against the deployed suite
// and against a TypeScript model of AccessGrants' rules, which predicts every outcome down to the custom error and
// its arguments; after each command every known grant is compared with getGrant and isGrantUsable. Every block is
// pinned to a known second, so the model checks windows against the timestamp a transaction actually lands at.
// DXL_FC_SEED replays another seed; on failure fast-check prints seed, path and the shrunk command list.
const SEED = Number(process.env.DXL_FC_SEED ?? 99);
const NUM_RUNS = 30;
const MIN_COMMANDS = 20;
const MAX_COMMANDS = 80;

const UNKNOWN_REQUEST_ID = ethers.id("dxl:never-submitted");
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

type OrganizationName = "telecom" | "bank" | "bureau" | "oversight";
type SourceName = "callRecords" | "cellLocations";
type ActorName =
  | "governance"
  | "telecomAdmin"
  | "telecomSteward"
  | "bankAdmin"
  | "bankSteward"
  | "bureauAdmin"
  | "investigator"
  | "supervisor"
  | "secondInvestigator"
  | "oversightAdmin"
  | "auditor"
  | "outsider"
  | "relayer";
/** "requester" stands for the requester of the grant the command acts on, resolved when it runs. */
type ActorOrRequester = ActorName | "requester";

const bit = (role: number) => 1 << role;

/** The consortium of the fixture, as the model knows it: who belongs where with which roles. */
const MEMBERS: Partial<Record<ActorName, { organization: OrganizationName; roles: number }>> = {
  telecomAdmin: { organization: "telecom", roles: bit(Role.ORG_ADMIN) },
  telecomSteward: { organization: "telecom", roles: bit(Role.DATA_STEWARD) },
  bankAdmin: { organization: "bank", roles: bit(Role.ORG_ADMIN) },
  bankSteward: { organization: "bank", roles: bit(Role.DATA_STEWARD) },
  bureauAdmin: { organization: "bureau", roles: bit(Role.ORG_ADMIN) },
  investigator: { organization: "bureau", roles: bit(Role.INVESTIGATOR) },
  supervisor: { organization: "bureau", roles: bit(Role.SUPERVISOR) },
  secondInvestigator: { organization: "bureau", roles: bit(Role.INVESTIGATOR) | bit(Role.SUPERVISOR) },
  oversightAdmin: { organization: "oversight", roles: bit(Role.ORG_ADMIN) },
  auditor: { organization: "oversight", roles: bit(Role.AUDITOR) },
};
const KINDS: Record<OrganizationName, number> = {
  telecom: Kind.TELECOM,
  bank: Kind.BANK,
  bureau: Kind.PUBLIC_SECURITY,
  oversight: Kind.OVERSIGHT,
};
const ORGANIZATIONS = Object.keys(KINDS) as OrganizationName[];
/** Both sources belong to the telecom; cell locations has sensitivity 2, so its requests need an endorsement. */
const SOURCES: Record<SourceName, { holder: OrganizationName; endorsementRequired: boolean; records: number }> = {
  callRecords: { holder: "telecom", endorsementRequired: false, records: 50 },
  cellLocations: { holder: "telecom", endorsementRequired: true, records: 20 },
};

/** The consortium scenario, with one attestation per telecom source for deliveries to draw from. */
async function grantStateMachineFixture() {
  const scenario = await consortiumScenario();
  const { attestations, accessGrants, governance, signers, sources } = scenario;
  const attest = async (source: SourceName) => {
    await attestations.connect(signers.telecomSteward).attest({
      sourceId: sources[source],
      merkleRoot: ethers.id(`root:${source}`),
      recordCount: SOURCES[source].records,
      periodStart: 1_700_000_000,
      periodEnd: 1_700_086_400,
      previousAttestationId: 0,
      dataURI: `ipfs://batches/${source}`,
    });
    return Number(await attestations.attestationCount());
  };
  const attestationIds: Record<SourceName, number> = {
    callRecords: await attest("callRecords"),
    cellLocations: await attest("cellLocations"),
  };
  const actors: Record<ActorName, HardhatEthersSigner> = { ...signers, governance };
  return { ...scenario, actors, attestationIds, domain: await accessGrantsDomain(accessGrants) };
}

type World = Awaited<ReturnType<typeof grantStateMachineFixture>>;

interface GrantModel {
  id: string;
  requester: ActorName;
  requesterOrganization: OrganizationName;
  source: SourceName;
  status: number;
  endorsementRequired: boolean;
  endorsed: boolean;
  notBefore: number;
  notAfter: number;
  maxDeliveries: number;
  deliveryCount: number;
}

interface DeliveryModel {
  id: number;
  grant: GrantModel;
  acknowledgement: number;
}

interface Model {
  grants: GrantModel[];
  deliveries: DeliveryModel[];
  active: Record<OrganizationName, boolean>;
  nonces: Partial<Record<ActorName, number>>;
  requestsBuilt: number;
}

/** The grant (or delivery) a command acts on (see {@link choose}); null names one never issued. */
type Target = { fitting: boolean; back: number } | null;

type Command =
  | {
      kind: "submit";
      requester: ActorName;
      via: "self" | "relayer" | "wrongSender";
      source: SourceName;
      startOffset: number;
      length: number;
      maxDeliveries: number;
    }
  | { kind: "endorse"; actor: ActorOrRequester; target: Target }
  | { kind: "approve"; actor: ActorName; target: Target }
  | { kind: "reject"; actor: ActorName; target: Target; reasonCode: number }
  | { kind: "revoke"; actor: ActorOrRequester; target: Target; reasonCode: number }
  | { kind: "recordDelivery"; actor: ActorName; target: Target; sameSource: boolean; recordCount: number }
  | { kind: "acknowledge"; actor: ActorOrRequester; target: Target; acknowledgement: number }
  | { kind: "advanceTime"; seconds: number }
  | { kind: "advanceToEdge"; target: Target; edge: "notBefore" | "notAfter"; shift: number }
  | {
      kind: "setOrganizationActive";
      actor: ActorName;
      organization: OrganizationName;
      reinstate: boolean;
      /** Whether to act on an organization the change fits (suspended ones, for a reinstatement), if any. */
      fitting: boolean;
    };

/** A revert the model predicts: error name and arguments. */
class PredictedRevert {
  constructor(
    readonly error: string,
    readonly args: unknown[],
  ) {}
}

function fail(error: string, ...args: unknown[]): never {
  throw new PredictedRevert(error, args);
}

type Outcome = { ok: true } | { ok: false; error: string; args: string[] };

function normalize(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : String(value);
}

/** One command, ready to run: the transaction, what the model predicts of it, and the model's change on success. */
interface Step {
  expected: Outcome;
  send: () => Promise<ContractTransactionResponse>;
  apply: () => void;
}

function step(check: () => void, send: Step["send"], apply: Step["apply"]): Step {
  try {
    check();
    return { expected: { ok: true }, send, apply };
  } catch (error) {
    if (!(error instanceof PredictedRevert)) throw error;
    return { expected: { ok: false, error: error.error, args: error.args.map(normalize) }, send, apply };
  }
}

/** The rules of AccessGrants and ConsortiumGuard, in the contract's check order. */
class Rules {
  constructor(
    private readonly world: World,
    private readonly model: Model,
  ) {}

  address(actor: ActorName): string {
    return this.world.actors[actor].address;
  }

  organizationId(organization: OrganizationName): bigint {
    return this.world.organizations[`${organization}Id`];
  }

  holds(actor: ActorName, role: number): boolean {
    return ((MEMBERS[actor]?.roles ?? 0) & bit(role)) !== 0;
  }

  requireMember(actor: ActorName, role: number): OrganizationName {
    const member = MEMBERS[actor];
    if (member === undefined || !this.holds(actor, role)) fail("MemberMissingRole", this.address(actor), role);
    if (!this.model.active[member.organization]) {
      fail("OrganizationInactive", this.organizationId(member.organization));
    }
    return member.organization;
  }

  requireMemberOf(actor: ActorName, role: number, organization: OrganizationName): void {
    if (this.requireMember(actor, role) !== organization) {
      fail("AccountNotInOrganization", this.address(actor), this.organizationId(organization));
    }
  }

  existingGrant(grant: GrantModel | undefined): GrantModel {
    return grant ?? fail("AccessGrantsUnknownRequest", UNKNOWN_REQUEST_ID);
  }

  mayRevoke(grant: GrantModel, actor: ActorName): boolean {
    if (actor === grant.requester) return true;
    const member = MEMBERS[actor];
    if (member !== undefined && this.model.active[member.organization]) {
      if (
        member.organization === grant.requesterOrganization &&
        (this.holds(actor, Role.ORG_ADMIN) || this.holds(actor, Role.SUPERVISOR))
      ) {
        return true;
      }
      if (member.organization === SOURCES[grant.source].holder && this.holds(actor, Role.DATA_STEWARD)) return true;
      if (KINDS[member.organization] === Kind.OVERSIGHT && this.holds(actor, Role.AUDITOR)) return true;
    }
    return actor === "governance";
  }

  isUsable(grant: GrantModel, timestamp: number): boolean {
    return (
      grant.status === RequestStatus.APPROVED &&
      timestamp >= grant.notBefore &&
      timestamp < grant.notAfter &&
      grant.deliveryCount < grant.maxDeliveries &&
      this.model.active[grant.requesterOrganization] &&
      this.model.active[SOURCES[grant.source].holder]
    );
  }
}

/** The grants a command fits: those whose state lets it succeed, as a steward or a supervisor would pick them. */
function grantFits(command: Command, timestamp: number): (grant: GrantModel) => boolean {
  switch (command.kind) {
    case "endorse":
      return (g) => g.status === RequestStatus.PENDING && !g.endorsed && timestamp < g.notAfter;
    case "approve":
      return (g) =>
        g.status === RequestStatus.PENDING && timestamp < g.notAfter && (!g.endorsementRequired || g.endorsed);
    case "reject":
      return (g) => g.status === RequestStatus.PENDING;
    case "revoke":
      return (g) => g.status === RequestStatus.PENDING || g.status === RequestStatus.APPROVED;
    case "recordDelivery":
      // Exhausted grants fit too: the limit is what recording against them tests.
      return (g) => g.status === RequestStatus.APPROVED && timestamp < g.notAfter;
    case "advanceToEdge":
      return (g) => g.status === RequestStatus.APPROVED && g[command.edge] + command.shift >= timestamp;
    default:
      return () => true;
  }
}

const SKIP = Symbol("skip");

/**
 * The item a target names, counted back from the newest: among those the command fits when `fitting`, else among
 * those it does not fit (any, if all fit). Undefined for a null target, which stands for an id never issued; SKIP
 * when there is no such item, as `fc.commands` skips a command whose precondition fails.
 */
function choose<T>(items: T[], target: Target, fits: (item: T) => boolean): T | undefined | typeof SKIP {
  if (target === null) return undefined;
  const misfits = items.filter((item) => !fits(item));
  const candidates = target.fitting ? items.filter(fits) : misfits.length > 0 ? misfits : items;
  if (candidates.length === 0) return SKIP;
  return candidates[candidates.length - 1 - (target.back % candidates.length)];
}

/**
 * Builds the step of a command whose transaction lands in a block stamped `timestamp`, acting on `grant` (or
 * `delivery`, for an acknowledgement); undefined stands for an id never issued.
 */
async function plan(
  world: World,
  model: Model,
  command: Exclude<Command, { kind: "advanceTime" | "advanceToEdge" }>,
  timestamp: number,
  grant: GrantModel | undefined,
  delivery: DeliveryModel | undefined,
) {
  const rules = new Rules(world, model);
  const { accessGrants, actors } = world;
  const as = (actor: ActorName) => accessGrants.connect(actors[actor]);
  const resolve = (actor: ActorOrRequester, grant: GrantModel | undefined): ActorName =>
    actor === "requester" ? (grant?.requester ?? "investigator") : actor;

  switch (command.kind) {
    case "submit": {
      const nonce = model.nonces[command.requester] ?? 0;
      const notBefore = timestamp + command.startOffset;
      const notAfter = notBefore + command.length;
      const request: AccessRequest = {
        requester: rules.address(command.requester),
        sourceId: world.sources[command.source],
        caseRef: ethers.id(`case:${model.requestsBuilt++}`),
        scopeHash: ethers.id("scope:subscriber-0001"),
        purpose: 1,
        notBefore,
        notAfter,
        maxDeliveries: command.maxDeliveries,
        nonce,
        deadline: timestamp + 3_600,
      };
      const id = ethers.TypedDataEncoder.hash(world.domain, ACCESS_REQUEST_TYPES, request);
      const signature =
        command.via === "relayer" ? await signAccessRequest(actors[command.requester], world.domain, request) : "";
      let requesterOrganization: OrganizationName = "bureau";
      return step(
        () => {
          if (command.via === "wrongSender") fail("AccessGrantsUnauthorizedAccount", rules.address("relayer"));
          requesterOrganization = rules.requireMember(command.requester, Role.INVESTIGATOR);
          if (KINDS[requesterOrganization] !== Kind.PUBLIC_SECURITY) {
            fail("AccessGrantsRequesterNotPublicSecurity", rules.organizationId(requesterOrganization));
          }
          if (notAfter <= notBefore || notAfter <= timestamp) fail("AccessGrantsInvalidWindow", notBefore, notAfter);
          if (command.maxDeliveries === 0) fail("AccessGrantsInvalidMaxDeliveries");
        },
        () =>
          command.via === "relayer"
            ? as("relayer").submitSignedRequest(request, signature)
            : as(command.via === "self" ? command.requester : "relayer").submitRequest(request),
        () => {
          model.nonces[command.requester] = nonce + 1;
          model.grants.push({
            id,
            requester: command.requester,
            requesterOrganization,
            source: command.source,
            status: RequestStatus.PENDING,
            endorsementRequired: SOURCES[command.source].endorsementRequired,
            endorsed: false,
            notBefore,
            notAfter,
            maxDeliveries: command.maxDeliveries,
            deliveryCount: 0,
          });
        },
      );
    }
    case "endorse": {
      const actor = resolve(command.actor, grant);
      return step(
        () => {
          const g = rules.existingGrant(grant);
          if (g.status !== RequestStatus.PENDING) fail("AccessGrantsUnexpectedStatus", g.id, g.status);
          if (timestamp >= g.notAfter) fail("AccessGrantsExpired", g.id, g.notAfter);
          if (g.endorsed) fail("AccessGrantsAlreadyEndorsed", g.id);
          if (actor === g.requester) fail("AccessGrantsSelfEndorsement", rules.address(actor));
          rules.requireMemberOf(actor, Role.SUPERVISOR, g.requesterOrganization);
        },
        () => as(actor).endorse(grant?.id ?? UNKNOWN_REQUEST_ID),
        () => {
          grant!.endorsed = true;
        },
      );
    }
    case "approve":
    case "reject": {
      return step(
        () => {
          const g = rules.existingGrant(grant);
          rules.requireMemberOf(command.actor, Role.DATA_STEWARD, SOURCES[g.source].holder);
          if (g.status !== RequestStatus.PENDING) fail("AccessGrantsUnexpectedStatus", g.id, g.status);
          if (command.kind === "reject") return;
          if (timestamp >= g.notAfter) fail("AccessGrantsExpired", g.id, g.notAfter);
          if (g.endorsementRequired && !g.endorsed) fail("AccessGrantsEndorsementRequired", g.id);
        },
        () =>
          command.kind === "approve"
            ? as(command.actor).approve(grant?.id ?? UNKNOWN_REQUEST_ID)
            : as(command.actor).reject(grant?.id ?? UNKNOWN_REQUEST_ID, command.reasonCode),
        () => {
          grant!.status = command.kind === "approve" ? RequestStatus.APPROVED : RequestStatus.REJECTED;
        },
      );
    }
    case "revoke": {
      const actor = resolve(command.actor, grant);
      return step(
        () => {
          const g = rules.existingGrant(grant);
          if (g.status !== RequestStatus.PENDING && g.status !== RequestStatus.APPROVED) {
            fail("AccessGrantsUnexpectedStatus", g.id, g.status);
          }
          if (!rules.mayRevoke(g, actor)) fail("AccessGrantsUnauthorizedAccount", rules.address(actor));
        },
        () => as(actor).revoke(grant?.id ?? UNKNOWN_REQUEST_ID, command.reasonCode),
        () => {
          grant!.status = RequestStatus.REVOKED;
        },
      );
    }
    case "recordDelivery": {
      const grantSource = grant?.source ?? "callRecords";
      const attestationSource: SourceName =
        command.sameSource === (grantSource === "callRecords") ? "callRecords" : "cellLocations";
      const attestationId = world.attestationIds[attestationSource];
      const deliveryId = model.deliveries.length + 1;
      return step(
        () => {
          const g = rules.existingGrant(grant);
          rules.requireMemberOf(command.actor, Role.DATA_STEWARD, SOURCES[g.source].holder);
          if (g.status !== RequestStatus.APPROVED) fail("AccessGrantsUnexpectedStatus", g.id, g.status);
          if (timestamp < g.notBefore) fail("AccessGrantsNotYetValid", g.id, g.notBefore);
          if (timestamp >= g.notAfter) fail("AccessGrantsExpired", g.id, g.notAfter);
          if (g.deliveryCount >= g.maxDeliveries) fail("AccessGrantsDeliveryLimitReached", g.id, g.maxDeliveries);
          if (!model.active[g.requesterOrganization]) {
            fail("OrganizationInactive", rules.organizationId(g.requesterOrganization));
          }
          if (attestationSource !== g.source) {
            fail("AccessGrantsAttestationSourceMismatch", attestationId, world.sources[g.source]);
          }
          const records = SOURCES[attestationSource].records;
          if (command.recordCount > records) {
            fail("AccessGrantsRecordCountExceedsAttestation", command.recordCount, records);
          }
        },
        () =>
          as(command.actor).recordDelivery(
            grant?.id ?? UNKNOWN_REQUEST_ID,
            attestationId,
            ethers.id(`payload:${deliveryId}`),
            command.recordCount,
          ),
        () => {
          grant!.deliveryCount += 1;
          model.deliveries.push({ id: deliveryId, grant: grant!, acknowledgement: Acknowledgement.NONE });
        },
      );
    }
    case "acknowledge": {
      const deliveryId = delivery?.id ?? model.deliveries.length + 1;
      const actor = resolve(command.actor, delivery?.grant);
      return step(
        () => {
          if (delivery === undefined) fail("AccessGrantsUnknownDelivery", deliveryId);
          if (actor !== delivery.grant.requester) fail("AccessGrantsUnauthorizedAccount", rules.address(actor));
          if (command.acknowledgement === Acknowledgement.NONE) fail("AccessGrantsInvalidAcknowledgement");
          if (delivery.acknowledgement !== Acknowledgement.NONE) {
            fail("AccessGrantsDeliveryAlreadyAcknowledged", deliveryId);
          }
        },
        () => as(actor).acknowledgeDelivery(deliveryId, command.acknowledgement, 7),
        () => {
          delivery!.acknowledgement = command.acknowledgement;
        },
      );
    }
    case "setOrganizationActive": {
      const organizationId = rules.organizationId(command.organization);
      const { reinstate } = command;
      const consortium = world.consortium.connect(actors[command.actor]);
      return step(
        () => {
          if (command.actor !== "governance") {
            fail("AccessControlUnauthorizedAccount", rules.address(command.actor), DEFAULT_ADMIN_ROLE);
          }
          const active = model.active[command.organization];
          if (reinstate && active) fail("ConsortiumOrganizationNotSuspended", organizationId);
          if (!reinstate && !active) fail("ConsortiumOrganizationAlreadySuspended", organizationId);
        },
        () =>
          reinstate ? consortium.reinstateOrganization(organizationId) : consortium.suspendOrganization(organizationId),
        () => {
          model.active[command.organization] = reinstate;
        },
      );
    }
  }
}

/** What the chain did with a transaction: success, or the decoded custom error. */
async function outcomeOf(world: World, send: Step["send"]): Promise<Outcome> {
  try {
    await (await send()).wait();
    return { ok: true };
  } catch (error) {
    const failure = error as { data?: unknown; error?: { data?: unknown } };
    const data = failure.data ?? failure.error?.data;
    const returnData = typeof data === "string" ? data : (data as { data?: unknown } | undefined)?.data;
    if (typeof returnData !== "string") throw error;
    const parsed =
      world.accessGrants.interface.parseError(returnData) ?? world.consortium.interface.parseError(returnData);
    if (parsed === null) throw error;
    return { ok: false, error: parsed.name, args: [...parsed.args].map(normalize) };
  }
}

/** Compares every known grant with the chain, at the latest block's timestamp (where `eth_call` runs). */
async function expectChainMatchesModel(world: World, model: Model, label: string) {
  const rules = new Rules(world, model);
  const now = await time.latest();
  const chain = await Promise.all(
    model.grants.map((grant) =>
      Promise.all([world.accessGrants.getGrant(grant.id), world.accessGrants.isGrantUsable(grant.id)]),
    ),
  );
  for (const [index, grant] of model.grants.entries()) {
    const [stored, usable] = chain[index];
    expect(
      {
        requester: stored.requester,
        sourceId: stored.sourceId,
        status: Number(stored.status),
        endorsementRequired: stored.endorsementRequired,
        endorsed: stored.endorsed,
        notBefore: Number(stored.notBefore),
        notAfter: Number(stored.notAfter),
        maxDeliveries: Number(stored.maxDeliveries),
        deliveryCount: Number(stored.deliveryCount),
      },
      `${label}: grant ${grant.id}`,
    ).to.deep.equal({
      requester: rules.address(grant.requester),
      sourceId: world.sources[grant.source],
      status: grant.status,
      endorsementRequired: grant.endorsementRequired,
      endorsed: grant.endorsed,
      notBefore: grant.notBefore,
      notAfter: grant.notAfter,
      maxDeliveries: grant.maxDeliveries,
      deliveryCount: grant.deliveryCount,
    });
    expect(usable, `${label}: isGrantUsable(${grant.id}) at ${now}`).to.equal(rules.isUsable(grant, now));
  }
}

async function expectDeliveriesMatchModel(world: World, model: Model) {
  expect(await world.accessGrants.deliveryCount()).to.equal(BigInt(model.deliveries.length));
  for (const delivery of model.deliveries) {
    const stored = await world.accessGrants.getDelivery(delivery.id);
    expect(
      { requestId: stored.requestId, acknowledgement: Number(stored.acknowledgement) },
      `delivery ${delivery.id}`,
    ).to.deep.equal({ requestId: delivery.grant.id, acknowledgement: delivery.acknowledgement });
  }
  for (const [actor, nonce] of Object.entries(model.nonces)) {
    expect(await world.accessGrants.nonces(world.actors[actor as ActorName].address), `nonce of ${actor}`).to.equal(
      BigInt(nonce),
    );
  }
}

/**
 * Runs a command against chain and model, then returns true; false when it was skipped for want of a target
 * (see {@link choose}).
 */
async function run(world: World, model: Model, command: Command, label: string): Promise<boolean> {
  // Every block is pinned to a known second: the next one, unless time is advanced on purpose.
  const timestamp = (await time.latest()) + 1;
  if (command.kind === "advanceTime") {
    await time.increaseTo(timestamp - 1 + command.seconds);
    return true;
  }
  if (command.kind === "advanceToEdge") {
    // Land the views (shift 0) or the next transaction (shift -1) exactly on an edge of a grant's window.
    const grant = choose(model.grants, command.target, grantFits(command, timestamp));
    if (grant === SKIP || grant === undefined) return false;
    await time.increaseTo(Math.max(timestamp, grant[command.edge] + command.shift));
    return true;
  }
  let grant: GrantModel | undefined;
  let delivery: DeliveryModel | undefined;
  if (command.kind === "acknowledge") {
    const chosen = choose(model.deliveries, command.target, (d) => d.acknowledgement === Acknowledgement.NONE);
    if (chosen === SKIP) return false;
    delivery = chosen;
  } else if (command.kind === "setOrganizationActive") {
    const { reinstate } = command;
    if (command.fitting) {
      const fitting = ORGANIZATIONS.filter((organization) => model.active[organization] !== reinstate);
      if (fitting.length === 0) return false;
      if (!fitting.includes(command.organization)) command = { ...command, organization: fitting[0] };
    }
  } else if (command.kind !== "submit") {
    const chosen = choose(model.grants, command.target, grantFits(command, timestamp));
    if (chosen === SKIP) return false;
    grant = chosen;
  }
  await time.setNextBlockTimestamp(timestamp);
  const { expected, send, apply } = await plan(world, model, command, timestamp, grant, delivery);
  const actual = await outcomeOf(world, send);
  expect(actual, `${label} at ${timestamp}`).to.deep.equal(expected);
  // The Hardhat network mines reverted transactions too (fixed gas, no estimation): each lands at `timestamp`.
  expect(await time.latest(), `${label}: block timestamp`).to.equal(timestamp);
  if (actual.ok) apply();
  return true;
}

/** One of `choices`, each as likely as its weight. */
function weighted<T>(...choices: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })));
}

/** A target, among those the command fits `fittingWeight` times in eight. */
function targetArbitrary(fittingWeight: number): fc.Arbitrary<Target> {
  return fc.option(
    fc.record({
      fitting: weighted([true, fittingWeight], [false, 8 - fittingWeight]),
      back: weighted([0, 6], [1, 2], [2, 1], [3, 1]),
    }),
    { freq: 30 },
  );
}
const recentTarget = targetArbitrary(6);

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant("submit" as const),
      requester: weighted<ActorName>(
        ["investigator", 6],
        ["secondInvestigator", 3],
        ["supervisor", 1],
        ["outsider", 1],
      ),
      via: weighted<"self" | "relayer" | "wrongSender">(["self", 6], ["relayer", 3], ["wrongSender", 1]),
      source: fc.constantFrom<SourceName>("callRecords", "cellLocations"),
      startOffset: fc.integer({ min: -30, max: 60 }),
      length: fc.integer({ min: 0, max: 120 }),
      maxDeliveries: fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 25, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("endorse" as const),
      actor: weighted<ActorOrRequester>(
        ["supervisor", 4],
        ["secondInvestigator", 2],
        ["requester", 1],
        ["investigator", 1],
        ["bureauAdmin", 1],
        ["auditor", 1],
        ["outsider", 1],
      ),
      target: recentTarget,
    }),
  },
  {
    weight: 14,
    arbitrary: fc.record({
      kind: fc.constant("approve" as const),
      actor: weighted<ActorName>(
        ["telecomSteward", 20],
        ["bankSteward", 1],
        ["telecomAdmin", 1],
        ["investigator", 1],
        ["outsider", 1],
      ),
      target: recentTarget,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("reject" as const),
      actor: weighted<ActorName>(["telecomSteward", 4], ["bankSteward", 1], ["outsider", 1]),
      target: recentTarget,
      reasonCode: fc.integer({ min: 0, max: 65_535 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("revoke" as const),
      actor: weighted<ActorOrRequester>(
        ["requester", 2],
        ["bureauAdmin", 2],
        ["supervisor", 2],
        ["secondInvestigator", 1],
        ["investigator", 1],
        ["telecomSteward", 2],
        ["auditor", 2],
        ["oversightAdmin", 1],
        ["governance", 2],
        ["outsider", 1],
        ["bankSteward", 1],
      ),
      target: recentTarget,
      reasonCode: fc.integer({ min: 0, max: 65_535 }),
    }),
  },
  {
    weight: 24,
    arbitrary: fc.record({
      kind: fc.constant("recordDelivery" as const),
      actor: weighted<ActorName>(["telecomSteward", 15], ["bankSteward", 1], ["investigator", 1], ["outsider", 1]),
      target: targetArbitrary(7),
      sameSource: weighted([true, 6], [false, 1]),
      recordCount: fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 1, max: SOURCES.cellLocations.records }) },
        { weight: 1, arbitrary: fc.constant(SOURCES.callRecords.records + 1) },
      ),
    }),
  },
  {
    weight: 16,
    arbitrary: fc.record({
      kind: fc.constant("acknowledge" as const),
      actor: weighted<ActorOrRequester>(
        ["requester", 6],
        ["investigator", 1],
        ["secondInvestigator", 1],
        ["telecomSteward", 1],
        ["outsider", 1],
      ),
      target: targetArbitrary(4),
      acknowledgement: weighted<number>(
        [Acknowledgement.ACCEPTED, 4],
        [Acknowledgement.DISPUTED, 3],
        [Acknowledgement.NONE, 1],
      ),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("advanceTime" as const), seconds: fc.integer({ min: 1, max: 30 }) }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("advanceToEdge" as const),
      target: recentTarget,
      edge: weighted<"notBefore" | "notAfter">(["notBefore", 2], ["notAfter", 1]),
      shift: weighted([-2, 1], [-1, 3], [0, 2]),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant("setOrganizationActive" as const),
      actor: weighted<ActorName>(["governance", 6], ["outsider", 1]),
      organization: weighted<OrganizationName>(["bureau", 3], ["telecom", 2], ["oversight", 1]),
      // Reinstatements outnumber suspensions, so that suspensions stay short.
      reinstate: weighted([false, 2], [true, 3]),
      fitting: weighted([true, 3], [false, 1]),
    }),
  },
);

describe("AccessGrants", function () {
  describe("grant state machine (model-based)", function () {
    it("should agree with the model on every outcome, grant and delivery over random command sequences", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.array(commandArbitrary, { minLength: MIN_COMMANDS, maxLength: MAX_COMMANDS, size: "max" }),
          async (commands) => {
            const world = await loadFixture(grantStateMachineFixture);
            const model: Model = {
              grants: [],
              deliveries: [],
              active: { telecom: true, bank: true, bureau: true, oversight: true },
              nonces: {},
              requestsBuilt: 0,
            };
            for (const [index, command] of commands.entries()) {
              const label = `command ${index} ${JSON.stringify(command)}`;
              if (await run(world, model, command, label)) await expectChainMatchesModel(world, model, label);
            }
            await expectDeliveriesMatchModel(world, model);
          },
        ),
        { numRuns: NUM_RUNS, seed: SEED },
      );
    });
  });
});
