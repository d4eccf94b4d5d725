import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import fc from "fast-check";
import { ZeroHash } from "ethers";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { AttestationRegistry } from "../../typechain-types";
import { consortiumScenario, DAY } from "../helpers/suite";
import { attestationOf, attestationRequest, nextChainDigest, requestOf, sourceChainOf } from "../helpers/merkle";
import type { AttestationRequest } from "../helpers/merkle";

/** Fixed so a failure replays; override with DXL_PROPERTY_SEED to explore. fast-check prints seed and path. */
const SEED = Number(process.env.DXL_PROPERTY_SEED ?? 20_240_101);
const EPOCH = 1_704_067_200n;

// ---------------------------------------------------------------------------------------------------------------
// Operations, as generated: intentions resolved against the model's state when they run.

type HeadChoice =
  | { kind: "correct" }
  | { kind: "stale"; pick: number }
  | { kind: "forged"; offset: number }
  | { kind: "otherSource"; pick: number };
type PeriodChoice =
  | { kind: "forward"; gap: bigint; duration: bigint }
  | { kind: "backwards"; back: bigint; duration: bigint }
  | { kind: "invalid"; gap: bigint; shortBy: bigint };
interface AttestSpec {
  source: number;
  head: HeadChoice;
  period: PeriodChoice;
  merkleRoot: string;
  recordCount: number;
}
type Operation =
  | { kind: "attest"; spec: AttestSpec }
  | { kind: "batch"; specs: AttestSpec[] }
  | { kind: "emptyBatch" }
  | {
      kind: "revoke";
      target: { kind: "issued"; pick: number } | { kind: "unknown"; offset: number };
      by: "steward" | "governance" | "otherSteward";
      emptyReason: boolean;
    };

const stepArbitrary = fc.constantFrom(0n, 1n, BigInt(DAY), 7n * BigInt(DAY));

/**
 * A batch to attest, from one of the first `sources` sources. A wrong head or period comes once in about
 * `1 + soundness` draws, a zero root or no records once in `1 + 2 * soundness`: batch items get a higher soundness
 * so that whole batches go through often enough.
 */
const attestSpecArbitrary = (sources: number, soundness: number): fc.Arbitrary<AttestSpec> =>
  fc.record({
    source: fc.nat(sources - 1),
    head: fc.oneof(
      { weight: 3 * soundness, arbitrary: fc.constant<HeadChoice>({ kind: "correct" }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("stale" as const), pick: fc.nat(50) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("forged" as const), offset: fc.nat(1000) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("otherSource" as const), pick: fc.nat(1) }) },
    ),
    period: fc.oneof(
      {
        weight: 2 * soundness,
        arbitrary: fc.record({ kind: fc.constant("forward" as const), gap: stepArbitrary, duration: stepArbitrary }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("backwards" as const),
          back: fc.constantFrom(1n, BigInt(DAY)),
          duration: stepArbitrary,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("invalid" as const),
          gap: stepArbitrary,
          shortBy: fc.constantFrom(1n, BigInt(DAY)),
        }),
      },
    ),
    merkleRoot: fc.oneof(
      { weight: 2 * soundness, arbitrary: fc.nat().map((seed) => ethers.id(`batch ${seed}`)) },
      { weight: 1, arbitrary: fc.constant(ZeroHash) },
    ),
    recordCount: fc.oneof(
      { weight: 2 * soundness, arbitrary: fc.integer({ min: 1, max: 2 ** 20 }) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
  });

/** Batches: mostly the telecom's two sources (one steward can sign them), sometimes mixed with the bank's. */
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant("attest" as const), spec: attestSpecArbitrary(3, 5) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("batch" as const),
      specs: fc.array(attestSpecArbitrary(2, 12), { minLength: 2, maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("batch" as const),
      specs: fc.array(attestSpecArbitrary(3, 12), { minLength: 2, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Operation>({ kind: "emptyBatch" }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("revoke" as const),
      target: fc.oneof(
        { weight: 5, arbitrary: fc.record({ kind: fc.constant("issued" as const), pick: fc.nat(50) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("unknown" as const), offset: fc.nat(3) }) },
      ),
      by: fc.constantFrom("steward" as const, "governance" as const, "otherSteward" as const),
      emptyReason: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
);

// ---------------------------------------------------------------------------------------------------------------
// The model: the rules of IAttestationRegistry, in the order the contract checks them.

interface Source {
  sourceId: string;
  organizationId: bigint;
  steward: HardhatEthersSigner;
  otherSteward: HardhatEthersSigner;
}
interface Chain {
  headAttestationId: bigint;
  chainLength: bigint;
  lastPeriodEnd: bigint;
  chainDigest: string;
}
interface Stored {
  sourceId: string;
  merkleRoot: string;
  recordCount: bigint;
  periodStart: bigint;
  periodEnd: bigint;
  revoked: boolean;
}
type Outcome = { ok: true; ids: bigint[] } | { ok: false; error: string; args: unknown[] };

class Model {
  count = 0n;
  chains = new Map<string, Chain>();
  attestations = new Map<bigint, Stored>();
  /** The source's chain digest right after each attestation, as its AttestationRecorded event carries it. */
  digests = new Map<bigint, string>();

  clone(): Model {
    const copy = new Model();
    copy.count = this.count;
    this.chains.forEach((chain, sourceId) => copy.chains.set(sourceId, { ...chain }));
    this.attestations.forEach((stored, id) => copy.attestations.set(id, { ...stored }));
    copy.digests = new Map(this.digests);
    return copy;
  }

  chain(sourceId: string): Chain {
    return (
      this.chains.get(sourceId) ?? { headAttestationId: 0n, chainLength: 0n, lastPeriodEnd: 0n, chainDigest: ZeroHash }
    );
  }

  /** Turns a generated intention into the request it stands for, in this state. */
  resolve(spec: AttestSpec, sources: Source[]): AttestationRequest {
    const { sourceId } = sources[spec.source];
    const chain = this.chain(sourceId);
    let previous: bigint;
    switch (spec.head.kind) {
      case "correct":
        previous = chain.headAttestationId;
        break;
      case "stale": {
        const others = [0n, ...this.attestations.keys()].filter((id) => id !== chain.headAttestationId);
        previous = others.length > 0 ? others[spec.head.pick % others.length] : this.count + 1n;
        break;
      }
      case "forged":
        previous = this.count + 1n + BigInt(spec.head.offset);
        break;
      case "otherSource": {
        const other = sources[(spec.source + 1 + spec.head.pick) % sources.length];
        previous = this.chain(other.sourceId).headAttestationId;
        break;
      }
    }
    const base = chain.chainLength === 0n ? EPOCH : chain.lastPeriodEnd;
    let periodStart: bigint;
    let periodEnd: bigint;
    switch (spec.period.kind) {
      case "forward":
        periodStart = base + spec.period.gap;
        periodEnd = periodStart + spec.period.duration;
        break;
      case "backwards":
        periodStart = base - spec.period.back;
        periodEnd = periodStart + spec.period.duration;
        break;
      case "invalid":
        periodStart = base + spec.period.gap;
        periodEnd = periodStart - spec.period.shortBy;
        break;
    }
    return attestationRequest({
      sourceId,
      merkleRoot: spec.merkleRoot,
      recordCount: spec.recordCount,
      periodStart,
      periodEnd,
      previousAttestationId: previous,
    });
  }

  /** One `_attest`: returns the new id, or the error the contract must raise. */
  attest(request: AttestationRequest, signer: string, sources: Source[]): Outcome {
    const source = sources.find((candidate) => candidate.sourceId === request.sourceId)!;
    if (source.steward.address !== signer) {
      return { ok: false, error: "AccountNotInOrganization", args: [signer, source.organizationId] };
    }
    if (request.merkleRoot === ZeroHash) return { ok: false, error: "AttestationRegistryInvalidRoot", args: [] };
    if (request.recordCount === 0n) return { ok: false, error: "AttestationRegistryNoRecords", args: [] };
    if (request.periodEnd < request.periodStart) {
      return { ok: false, error: "AttestationRegistryInvalidPeriod", args: [request.periodStart, request.periodEnd] };
    }
    const chain = this.chain(request.sourceId);
    if (request.previousAttestationId !== chain.headAttestationId) {
      return {
        ok: false,
        error: "AttestationRegistryStaleHead",
        args: [request.sourceId, chain.headAttestationId, request.previousAttestationId],
      };
    }
    if (chain.chainLength !== 0n && request.periodStart < chain.lastPeriodEnd) {
      return {
        ok: false,
        error: "AttestationRegistryPeriodBackwards",
        args: [request.sourceId, request.periodStart, chain.lastPeriodEnd],
      };
    }
    const id = ++this.count;
    const { sourceId, merkleRoot, recordCount, periodStart, periodEnd } = request;
    this.attestations.set(id, { sourceId, merkleRoot, recordCount, periodStart, periodEnd, revoked: false });
    const chainDigest = nextChainDigest(chain.chainDigest, id, request);
    this.chains.set(sourceId, {
      headAttestationId: id,
      chainLength: chain.chainLength + 1n,
      lastPeriodEnd: periodEnd,
      chainDigest,
    });
    this.digests.set(id, chainDigest);
    return { ok: true, ids: [id] };
  }

  /** `attestBatch`: all items in order on a copy, kept only if every one succeeds. */
  attestBatch(requests: AttestationRequest[], signer: string, sources: Source[]): Outcome {
    if (requests.length === 0) return { ok: false, error: "AttestationRegistryNoRequests", args: [] };
    const scratch = this.clone();
    const ids: bigint[] = [];
    for (const request of requests) {
      const outcome = scratch.attest(request, signer, sources);
      if (!outcome.ok) return outcome;
      ids.push(...outcome.ids);
    }
    Object.assign(this, scratch);
    return { ok: true, ids };
  }

  revoke(id: bigint, reason: string, revoker: string, governance: string, sources: Source[]): Outcome {
    const stored = this.attestations.get(id);
    if (!stored) return { ok: false, error: "AttestationRegistryUnknownAttestation", args: [id] };
    const source = sources.find((candidate) => candidate.sourceId === stored.sourceId)!;
    if (revoker !== governance && revoker !== source.steward.address) {
      return { ok: false, error: "AccountNotInOrganization", args: [revoker, source.organizationId] };
    }
    if (stored.revoked) return { ok: false, error: "AttestationRegistryAlreadyRevoked", args: [id] };
    if (reason === "") return { ok: false, error: "AttestationRegistryEmptyReason", args: [] };
    stored.revoked = true;
    return { ok: true, ids: [id] };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running an operation on the contract.

type Sent = { ok: true; receipt: TransactionReceipt } | { ok: false; error: string; args: unknown[] };

async function send(registry: AttestationRegistry, transaction: () => Promise<ContractTransactionResponse>) {
  try {
    const receipt = await (await transaction()).wait();
    return { ok: true, receipt: receipt! } as Sent;
  } catch (error) {
    const data = (error as { data?: unknown }).data;
    if (typeof data !== "string") throw error;
    const parsed = registry.interface.parseError(data);
    if (!parsed) throw error;
    return { ok: false, error: parsed.name, args: [...parsed.args] } as Sent;
  }
}

/** The registry's events in a receipt, as argument arrays (an event's request as a plain object). */
function emitted(registry: AttestationRegistry, receipt: TransactionReceipt) {
  return receipt.logs
    .map((log) => registry.interface.parseLog(log))
    .filter((parsed) => parsed !== null)
    .map((parsed) =>
      parsed.name === "AttestationRecorded"
        ? [parsed.args[0], parsed.args[1], parsed.args[2], requestOf(parsed.args[3]), parsed.args[4], parsed.args[5]]
        : [...parsed.args],
    );
}

/** An issued id, or one never issued (0, or beyond the count). */
function revocationTarget(target: Extract<Operation, { kind: "revoke" }>["target"], model: Model): bigint {
  const issued = [...model.attestations.keys()];
  if (target.kind === "issued" && issued.length > 0) return issued[target.pick % issued.length];
  if (target.kind === "unknown" && target.offset === 0) return 0n;
  return model.count + BigInt(target.kind === "unknown" ? target.offset : 1);
}

async function expectStateMatches(
  registry: AttestationRegistry,
  model: Model,
  sources: Source[],
  ids: Iterable<bigint>,
): Promise<void> {
  expect(await registry.attestationCount()).to.equal(model.count);
  for (const { sourceId } of sources) {
    expect(sourceChainOf(await registry.getSourceChain(sourceId)), `chain of ${sourceId}`).to.deep.equal(
      model.chain(sourceId),
    );
  }
  for (const id of ids) {
    expect(attestationOf(await registry.getAttestation(id)), `attestation ${id}`).to.deep.equal(
      model.attestations.get(id),
    );
  }
}

describe("AttestationRegistry chain (property)", function () {
  it("should follow the model of the per-source chain rules over random operation sequences", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(operationArbitrary, { minLength: 3, maxLength: 15 }), async (operations) => {
        const {
          attestations,
          governance,
          signers,
          sources: ids,
          organizations,
        } = await loadFixture(consortiumScenario);
        const telecom = { organizationId: organizations.telecomId, steward: signers.telecomSteward };
        const bank = { organizationId: organizations.bankId, steward: signers.bankSteward };
        const sources: Source[] = [
          { sourceId: ids.callRecords, ...telecom, otherSteward: bank.steward },
          { sourceId: ids.cellLocations, ...telecom, otherSteward: bank.steward },
          { sourceId: ids.transfers, ...bank, otherSteward: telecom.steward },
        ];
        const model = new Model();

        for (const operation of operations) {
          let expected: Outcome;
          let sent: Sent;
          let requests: AttestationRequest[] = [];
          let signer = signers.telecomSteward;
          let reason = "";
          let revoker = governance;
          // Attestations the operation may have written: compared with the model right after it.
          let touched: bigint[] = [];

          switch (operation.kind) {
            case "attest": {
              const request = model.resolve(operation.spec, sources);
              requests = [request];
              signer = sources[operation.spec.source].steward;
              expected = model.attest(request, signer.address, sources);
              sent = await send(attestations, () => attestations.connect(signer).attest(request));
              break;
            }
            case "batch":
            case "emptyBatch": {
              // Each item is resolved against the state the items before it leave, so "correct" chains them.
              // One steward signs the batch: the steward of its first item's source.
              const specs = operation.kind === "batch" ? operation.specs : [];
              signer = sources[specs[0]?.source ?? 0].steward;
              const scratch = model.clone();
              for (const spec of specs) {
                const request = scratch.resolve(spec, sources);
                requests.push(request);
                scratch.attest(request, signer.address, sources);
              }
              expected = model.attestBatch(requests, signer.address, sources);
              sent = await send(attestations, () => attestations.connect(signer).attestBatch(requests));
              break;
            }
            case "revoke": {
              const id = revocationTarget(operation.target, model);
              const stored = model.attestations.get(id);
              if (stored) touched = [id];
              const source = sources.find((candidate) => candidate.sourceId === stored?.sourceId) ?? sources[0];
              revoker =
                operation.by === "governance"
                  ? governance
                  : operation.by === "steward"
                    ? source.steward
                    : source.otherSteward;
              reason = operation.emptyReason ? "" : `revoked ${id}`;
              expected = model.revoke(id, reason, revoker.address, governance.address, sources);
              sent = await send(attestations, () => attestations.connect(revoker).revokeAttestation(id, reason));
              break;
            }
          }

          const context = JSON.stringify(operation, (_, value) => (typeof value === "bigint" ? `${value}` : value));
          if (!expected.ok) {
            expect(sent.ok, `${context} should fail with ${expected.error}`).to.equal(false);
            if (!sent.ok) expect([sent.error, ...sent.args], context).to.deep.equal([expected.error, ...expected.args]);
          } else {
            expect(sent.ok ? "ok" : `${sent.error}(${sent.args.join(", ")})`, context).to.equal("ok");
          }
          if (expected.ok && sent.ok) {
            touched = expected.ids;
            const events =
              operation.kind === "revoke"
                ? [[touched[0], model.attestations.get(touched[0])!.sourceId, reason, revoker.address]]
                : touched.map((id, index) => {
                    const { sourceId } = requests[index];
                    const { organizationId } = sources.find((source) => source.sourceId === sourceId)!;
                    return [id, sourceId, organizationId, requests[index], model.digests.get(id), signer.address];
                  });
            expect(emitted(attestations, sent.receipt), context).to.deep.equal(events);
          }
          await expectStateMatches(attestations, model, sources, touched);
        }

        await expectStateMatches(attestations, model, sources, model.attestations.keys());
        await expect(attestations.getAttestation(model.count + 1n))
          .to.be.revertedWithCustomError(attestations, "AttestationRegistryUnknownAttestation")
          .withArgs(model.count + 1n);
      }),
      { numRuns: 25, seed: SEED },
    );
  });
});
