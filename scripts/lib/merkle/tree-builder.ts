/**
 * Building a record tree from the batch's digests, on one byte array for the nodes: leaf hashes, their order, the
 * array layout of `@openzeppelin/merkle-tree`'s `makeMerkleTree`, then the inner nodes from the last to the root.
 */
import { DigestList } from "./digest-list";
import { bytes32 } from "./hex";
import { HASH_LENGTH, loadKeccak256 } from "./keccak";
import type { Keccak256 } from "./keccak";
import { sortedLeafOrder } from "./leaf-order";
import { createHashScratch, hashLeafInto, hashPairInto } from "./node-hash";
import { RecordMerkleTree } from "./record-tree";

/**
 * The most records a batch can have here: 2^25, whose 2^26 − 1 nodes take 2 GiB. (A million records take about
 * 100 MB: nodes, digests and the leaf index.)
 */
export const MAX_RECORDS = 2 ** 25;

/** A batch's digests: packed 32 bytes a record in record order, or one by one as bytes or 0x-hex. */
export type DigestSource = Uint8Array | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

/**
 * The Merkle tree of a batch whose record `i` has digest `digests[i]`. A packed array is copied, so the caller may
 * reuse it.
 * @throws TypeError for a digest that is not 32 bytes (or 0x and 64 hex digits); RangeError for an empty batch or
 *   one of more than {@link MAX_RECORDS} records.
 */
export async function buildRecordTree(digests: DigestSource): Promise<RecordMerkleTree> {
  const packedDigests = await packDigests(digests);
  const keccak = await loadKeccak256();
  const recordCount = packedDigests.length / HASH_LENGTH;
  const leafHashes = hashLeaves(keccak, packedDigests);
  const nodes = new Uint8Array((2 * recordCount - 1) * HASH_LENGTH);
  const leafTreeIndexes = placeLeaves(nodes, leafHashes, sortedLeafOrder(leafHashes));
  hashInnerNodes(keccak, nodes, recordCount);
  return new RecordMerkleTree(nodes, leafTreeIndexes, packedDigests);
}

async function packDigests(digests: DigestSource): Promise<Uint8Array> {
  if (digests instanceof Uint8Array) {
    if (digests.length % HASH_LENGTH !== 0) {
      throw new TypeError(`packed digests must be a multiple of ${HASH_LENGTH} bytes, not ${digests.length}`);
    }
    checkRecordCount(digests.length / HASH_LENGTH);
    return new Uint8Array(digests); // a copy (Buffer#slice would share the memory)
  }
  const list = new DigestList();
  for await (const digest of digests) {
    checkRecordCount(list.length + 1);
    list.append(bytes32(digest, `digest ${list.length}`));
  }
  checkRecordCount(list.length);
  return list.packed();
}

function checkRecordCount(recordCount: number): void {
  if (recordCount === 0) throw new RangeError("a batch needs at least one record");
  if (recordCount > MAX_RECORDS) {
    throw new RangeError(`a batch of ${recordCount} records is over the limit of ${MAX_RECORDS}`);
  }
}

/** The leaf hash of every record, in record order, 32 bytes each. */
function hashLeaves(keccak: Keccak256, digests: Uint8Array): Uint8Array {
  const leafHashes = new Uint8Array(digests.length);
  const scratch = createHashScratch();
  for (let index = 0, offset = 0; offset < digests.length; index++, offset += HASH_LENGTH) {
    hashLeafInto(keccak, index, digests, offset, leafHashes, offset, scratch);
  }
  return leafHashes;
}

/**
 * Copies the leaf hashes into the last nodes, the `k`-th smallest at node `2n − 2 − k` as `makeMerkleTree` does,
 * and returns each record's tree index.
 */
function placeLeaves(nodes: Uint8Array, leafHashes: Uint8Array, order: Uint32Array): Uint32Array {
  const lastNode = nodes.length / HASH_LENGTH - 1;
  const leafTreeIndexes = new Uint32Array(order.length);
  for (let rank = 0; rank < order.length; rank++) {
    const index = order[rank];
    const treeIndex = lastNode - rank;
    leafTreeIndexes[index] = treeIndex;
    nodes.set(leafHashes.subarray(index * HASH_LENGTH, (index + 1) * HASH_LENGTH), treeIndex * HASH_LENGTH);
  }
  return leafTreeIndexes;
}

/** Hashes inner nodes n − 2 down to 0 from their children 2i + 1 and 2i + 2. */
function hashInnerNodes(keccak: Keccak256, nodes: Uint8Array, recordCount: number): void {
  const scratch = createHashScratch();
  for (let treeIndex = recordCount - 2; treeIndex >= 0; treeIndex--) {
    const left = (2 * treeIndex + 1) * HASH_LENGTH;
    hashPairInto(keccak, nodes, left, nodes, left + HASH_LENGTH, nodes, treeIndex * HASH_LENGTH, scratch);
  }
}
