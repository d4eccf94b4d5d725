/**
 * Record verification off chain, with the contracts' leaf format: an OpenZeppelin StandardMerkleTree leaf of
 * `["uint256", "bytes32"]` = (record index, record digest), hashed twice
 * (`keccak256(bytes.concat(keccak256(abi.encode(index, digest))))`), and proofs folded with commutative
 * (sorted-pair) hashing as `MerkleProof.processProof` does. So the answer is the one
 * `AttestationRegistry.verifyRecord` would give for the indexed attestation, without asking the chain.
 */
import { AbiCoder, concat, keccak256 } from "ethers";

/** Why a record does not verify. */
export type RecordVerificationFailure = "UNKNOWN_ATTESTATION" | "INDEX_OUT_OF_RANGE" | "PROOF_MISMATCH" | "REVOKED";

/** What a verification needs of an attestation. */
export interface AttestedBatch {
  merkleRoot: string;
  recordCount: string;
  revoked: boolean;
}

const LEAF_ENCODING = ["uint256", "bytes32"];

/** The leaf of record `index` with `digest`. */
export function recordLeaf(index: bigint, digest: string): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(LEAF_ENCODING, [index, digest])));
}

/** OpenZeppelin's commutative pair hash: the smaller child first. */
function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** The root `proof` leads to from `leaf`. */
export function rootFromProof(leaf: string, proof: readonly string[]): string {
  return proof.reduce(hashPair, leaf);
}

/**
 * Why record `index` with `digest` does not verify against `batch`, or null when it does. The order follows the
 * contract: range, then proof, then revocation, so a revoked batch still tells a genuine record from a forgery
 * (only a matching proof reports REVOKED).
 */
export function recordVerificationFailure(
  batch: AttestedBatch | null,
  index: bigint,
  digest: string,
  proof: readonly string[],
): RecordVerificationFailure | null {
  if (batch === null) return "UNKNOWN_ATTESTATION";
  if (index < 0n || index >= BigInt(batch.recordCount)) return "INDEX_OUT_OF_RANGE";
  if (rootFromProof(recordLeaf(index, digest), proof) !== batch.merkleRoot.toLowerCase()) return "PROOF_MISMATCH";
  return batch.revoked ? "REVOKED" : null;
}
