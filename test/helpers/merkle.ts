import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, concat, keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson } from "../../scripts/lib/merkle/canonical-json";
import type { Json } from "../../scripts/lib/merkle/canonical-json";
import type { IAttestationRegistry } from "../../typechain-types";

/** Leaf encoding of attested batches (DESIGN.md): record index in the batch, record digest. */
export const RECORD_LEAF_ENCODING = ["uint256", "bytes32"];

export type RecordLeaf = [bigint, string];
export type RecordTree = StandardMerkleTree<RecordLeaf>;

/** RFC 8785 canonical JSON of a record, and what a record is: the library's, which `dxl attest` digests with. */
export { canonicalJson };
export type { Json };

/** keccak256 of the record's canonical JSON, UTF-8: the digest a batch's leaf carries. */
export function recordDigest(record: Json): string {
  return keccak256(toUtf8Bytes(canonicalJson(record)));
}

/** `count` random record digests as 0x-hex, for batches whose content does not matter. */
export function randomDigests(count: number): string[] {
  return Array.from({ length: count }, () => `0x${randomBytes(32).toString("hex")}`);
}

/** The StandardMerkleTree of a batch: leaf i is (i, digests[i]). */
export function recordTree(digests: readonly string[]): RecordTree {
  return StandardMerkleTree.of<RecordLeaf>(
    digests.map((digest, index) => [BigInt(index), digest]),
    RECORD_LEAF_ENCODING,
  );
}

/** The leaf hash `verifyRecord` recomputes: `keccak256(keccak256(abi.encode(index, digest)))`. */
export function recordLeafHash(index: bigint, digest: string): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(RECORD_LEAF_ENCODING, [index, digest])));
}

/** OpenZeppelin's commutative node hash: keccak256 of the two children, smaller first. */
export function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** The root a proof leads to from a leaf, as OpenZeppelin `MerkleProof.processProof` computes it. */
export function rootFromProof(leaf: string, proof: readonly string[]): string {
  return proof.reduce(hashPair, leaf);
}

/** An `IAttestationRegistry.AttestationRequest`, with the numbers as bigints so results compare directly. */
export interface AttestationRequest {
  sourceId: string;
  merkleRoot: string;
  recordCount: bigint;
  periodStart: bigint;
  periodEnd: bigint;
  previousAttestationId: bigint;
  dataURI: string;
}

/** Builds a request; the previous attestation defaults to none (a source's first) and the data URI to empty. */
export function attestationRequest(fields: {
  sourceId: string;
  merkleRoot: string;
  recordCount: bigint | number;
  periodStart: bigint | number;
  periodEnd: bigint | number;
  previousAttestationId?: bigint | number;
  dataURI?: string;
}): AttestationRequest {
  return {
    sourceId: fields.sourceId,
    merkleRoot: fields.merkleRoot,
    recordCount: BigInt(fields.recordCount),
    periodStart: BigInt(fields.periodStart),
    periodEnd: BigInt(fields.periodEnd),
    previousAttestationId: BigInt(fields.previousAttestationId ?? 0),
    dataURI: fields.dataURI ?? "",
  };
}

/** A request as an event carries it, as a plain object. */
export function requestOf(request: IAttestationRegistry.AttestationRequestStructOutput): AttestationRequest {
  const { sourceId, merkleRoot, recordCount, periodStart, periodEnd, previousAttestationId, dataURI } = request;
  return { sourceId, merkleRoot, recordCount, periodStart, periodEnd, previousAttestationId, dataURI };
}

/** `getAttestation`'s result as a plain object. */
export function attestationOf(attestation: IAttestationRegistry.AttestationStructOutput) {
  const { sourceId, merkleRoot, recordCount, periodStart, periodEnd, revoked } = attestation;
  return { sourceId, merkleRoot, recordCount, periodStart, periodEnd, revoked };
}

/** `getSourceChain`'s result as a plain object. */
export function sourceChainOf(chain: IAttestationRegistry.SourceChainStructOutput) {
  const { headAttestationId, chainLength, lastPeriodEnd, chainDigest } = chain;
  return { headAttestationId, chainLength, lastPeriodEnd, chainDigest };
}

/** A source's chain digest after one more attestation (`SourceChain.chainDigest`, IAttestationRegistry). */
export function nextChainDigest(
  previousDigest: string,
  attestationId: bigint,
  request: Pick<AttestationRequest, "merkleRoot" | "recordCount" | "periodStart" | "periodEnd">,
): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint64", "bytes32", "uint64", "uint64", "uint64"],
      [previousDigest, attestationId, request.merkleRoot, request.recordCount, request.periodStart, request.periodEnd],
    ),
  );
}
