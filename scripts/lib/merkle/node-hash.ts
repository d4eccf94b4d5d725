/**
 * The two hashes of an OpenZeppelin StandardMerkleTree with leaf encoding `["uint256", "bytes32"]`, on bytes rather
 * than hex strings: the leaf hash `keccak256(keccak256(abi.encode(index, digest)))` and the node hash, keccak256 of
 * the two children smaller first (`MerkleProof`'s commutative `_hashPair`).
 */
import { HASH_LENGTH } from "./keccak";
import type { Keccak256 } from "./keccak";

/** The highest record index a leaf can carry here: indexes are written as 32-bit numbers. */
export const MAX_RECORD_INDEX = 0xffff_ffff;

/** Reusable 64-byte input buffer of the two hashes: one per builder or verifier, so no hash allocates its input. */
export function createHashScratch(): Uint8Array {
  return new Uint8Array(2 * HASH_LENGTH);
}

/**
 * Writes the leaf hash of (`index`, the digest at `digestOffset` of `digests`) into `output` at `outputOffset`.
 * `scratch` holds the ABI encoding: the index as a 32-byte big-endian word, then the digest.
 */
export function hashLeafInto(
  keccak: Keccak256,
  index: number,
  digests: Uint8Array,
  digestOffset: number,
  output: Uint8Array,
  outputOffset: number,
  scratch: Uint8Array,
): void {
  scratch.fill(0, 0, HASH_LENGTH - 4);
  scratch[HASH_LENGTH - 4] = index >>> 24;
  scratch[HASH_LENGTH - 3] = (index >>> 16) & 0xff;
  scratch[HASH_LENGTH - 2] = (index >>> 8) & 0xff;
  scratch[HASH_LENGTH - 1] = index & 0xff;
  copyHash(digests, digestOffset, scratch, HASH_LENGTH);
  keccak.hashInto(keccak.hash(scratch), output, outputOffset);
}

/** Writes the node hash of the 32-byte values at `aOffset` of `a` and `bOffset` of `b` into `output`. */
export function hashPairInto(
  keccak: Keccak256,
  a: Uint8Array,
  aOffset: number,
  b: Uint8Array,
  bOffset: number,
  output: Uint8Array,
  outputOffset: number,
  scratch: Uint8Array,
): void {
  const isAFirst = compareHashes(a, aOffset, b, bOffset) <= 0;
  copyHash(isAFirst ? a : b, isAFirst ? aOffset : bOffset, scratch, 0);
  copyHash(isAFirst ? b : a, isAFirst ? bOffset : aOffset, scratch, HASH_LENGTH);
  keccak.hashInto(scratch, output, outputOffset);
}

/** Compares two 32-byte values as big-endian numbers: negative, zero or positive. */
export function compareHashes(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): number {
  for (let byte = 0; byte < HASH_LENGTH; byte++) {
    const difference = a[aOffset + byte] - b[bOffset + byte];
    if (difference !== 0) return difference;
  }
  return 0;
}

function copyHash(from: Uint8Array, fromOffset: number, to: Uint8Array, toOffset: number): void {
  for (let byte = 0; byte < HASH_LENGTH; byte++) to[toOffset + byte] = from[fromOffset + byte];
}
