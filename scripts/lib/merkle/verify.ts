/**
 * Checking a record's proof off chain, as OpenZeppelin `MerkleProof.processProof` does on chain: from the leaf,
 * hash in each sibling in turn (smaller first) and compare the result with the attested root.
 */
import { bytes32, toHex32 } from "./hex";
import { HASH_LENGTH, loadKeccak256 } from "./keccak";
import { createHashScratch, hashLeafInto, hashPairInto, MAX_RECORD_INDEX } from "./node-hash";

/** A record's claim of membership: its index in the batch, its digest and the proof; 32-byte values as bytes or hex. */
export interface RecordProof {
  index: number;
  digest: Uint8Array | string;
  proof: readonly (Uint8Array | string)[];
}

/** The leaf hash of record `index` with `digest`, as 0x-hex. */
export async function recordLeafHash(index: number, digest: Uint8Array | string): Promise<string> {
  checkRecordIndex(index);
  const keccak = await loadKeccak256();
  const leaf = new Uint8Array(HASH_LENGTH);
  hashLeafInto(keccak, index, bytes32(digest, "digest"), 0, leaf, 0, createHashScratch());
  return toHex32(leaf);
}

/** The root `proof` leads to from `leaf` (`MerkleProof.processProof`), as 0x-hex. */
export async function processProof(
  leaf: Uint8Array | string,
  proof: readonly (Uint8Array | string)[],
): Promise<string> {
  const keccak = await loadKeccak256();
  const scratch = createHashScratch();
  const node = Uint8Array.from(bytes32(leaf, "leaf"));
  proof.forEach((sibling, step) =>
    hashPairInto(keccak, node, 0, bytes32(sibling, `proof[${step}]`), 0, node, 0, scratch),
  );
  return toHex32(node);
}

/** The root a record's proof leads to, as 0x-hex. */
export async function rootOfRecordProof({ index, digest, proof }: RecordProof): Promise<string> {
  return processProof(await recordLeafHash(index, digest), proof);
}

/** Whether the record's proof leads to `root`: the record is in the batch attested with that root. */
export async function verifyRecordProof(root: Uint8Array | string, recordProof: RecordProof): Promise<boolean> {
  return toHex32(bytes32(root, "root")) === (await rootOfRecordProof(recordProof));
}

function checkRecordIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_RECORD_INDEX) {
    throw new RangeError(`a record index must be a whole number from 0 to ${MAX_RECORD_INDEX}, not ${index}`);
  }
}
