/**
 * Attested batches as AttestationRegistry records them: ids sequential across sources, each source's chain linked
 * through `previousAttestationId` with its periods back to back, and the chain digest folded as the contract folds
 * it, so `Attestation.previous`/`next` and the digests of the bench's ledger hold together.
 */
import { ZeroHash } from "ethers";
import { word } from "./abi-encoder";
import type { DataSource } from "./consortium";
import type { Random } from "./random";
import { attestationRecorded } from "./events";
import { hashOf, keccakOfWords } from "./hashes";
import type { EventSpec } from "./events";

/** How far behind the block time a batch's period ends: records are attested once the period closed. */
const PERIOD_LAG_SECONDS = 600;

/** The head of a source's chain. */
interface SourceChain {
  headAttestationId: bigint;
  lastPeriodEnd: number;
  chainDigest: string;
}

/** Records batches on every source's chain; knows each chain's head for the deliveries drawn from it. */
export class AttestationChains {
  private nextAttestationId = 1n;
  private readonly chains = new Map<string, SourceChain>();

  constructor(
    private readonly random: Random,
    firstPeriodStart: number,
    sources: readonly DataSource[],
  ) {
    for (const source of sources) {
      this.chains.set(source.id, { headAttestationId: 0n, lastPeriodEnd: firstPeriodStart, chainDigest: ZeroHash });
    }
  }

  /** The latest attestation of `source`, or null before its first. */
  headOf(source: DataSource): bigint | null {
    const head = this.chainOf(source).headAttestationId;
    return head === 0n ? null : head;
  }

  /** One `attestBatch` of `count` batches of `source` at `timestamp`, splitting the time since its last period. */
  attestBatch(source: DataSource, count: number, timestamp: number): EventSpec[] {
    const chain = this.chainOf(source);
    const periodEnd = Math.max(chain.lastPeriodEnd, timestamp - PERIOD_LAG_SECONDS);
    const step = Math.floor((periodEnd - chain.lastPeriodEnd) / count);
    return Array.from({ length: count }, (_, index) =>
      this.attest(source, chain, index === count - 1 ? periodEnd : chain.lastPeriodEnd + step),
    );
  }

  private attest(source: DataSource, chain: SourceChain, periodEnd: number): EventSpec {
    const attestationId = this.nextAttestationId++;
    const request = {
      sourceId: source.id,
      merkleRoot: hashOf(`batch ${attestationId}`),
      recordCount: this.random.between(100, 10_000),
      periodStart: chain.lastPeriodEnd,
      periodEnd,
      previousAttestationId: chain.headAttestationId,
      dataURI: `s3://${source.name}/batches/${attestationId}.jsonl`,
    };
    // keccak256(abi.encode(previousDigest, attestationId, merkleRoot, recordCount, periodStart, periodEnd))
    chain.chainDigest = keccakOfWords([
      chain.chainDigest.slice(2),
      word(attestationId),
      request.merkleRoot.slice(2),
      word(request.recordCount),
      word(request.periodStart),
      word(periodEnd),
    ]);
    chain.headAttestationId = attestationId;
    chain.lastPeriodEnd = periodEnd;
    return attestationRecorded(attestationId, source.organizationId, request, chain.chainDigest, source.steward);
  }

  private chainOf(source: DataSource): SourceChain {
    const chain = this.chains.get(source.id);
    if (!chain) throw new Error(`no chain for source ${source.id}`);
    return chain;
  }
}
