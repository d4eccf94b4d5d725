/**
 * The order of a tree's leaves: ascending by leaf hash read as a 256-bit big-endian number, as
 * `@openzeppelin/merkle-tree` sorts them (its `compare` subtracts the two hashes as BigInts).
 */
import { HASH_LENGTH } from "./keccak";

/** Whether this machine stores the low 32-bit word of a 64-bit integer first. */
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LOW_WORD = IS_LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/**
 * The record indexes of `leafHashes` (32 bytes a record) in ascending order of their hash.
 * @dev Each record becomes one 64-bit key, the first four bytes of its hash above its index, and the keys are sorted
 *   by the engine's native numeric sort of a BigUint64Array: no comparator calls, no object per record. Records
 *   whose hashes share those four bytes (about a hundred pairs in a million) are then put in order by their full
 *   hashes.
 */
export function sortedLeafOrder(leafHashes: Uint8Array): Uint32Array {
  const count = leafHashes.length / HASH_LENGTH;
  const keys = new BigUint64Array(count);
  const words = new Uint32Array(keys.buffer);
  const hashes = new DataView(leafHashes.buffer, leafHashes.byteOffset, leafHashes.byteLength);
  for (let index = 0; index < count; index++) {
    words[2 * index + HIGH_WORD] = hashes.getUint32(index * HASH_LENGTH);
    words[2 * index + LOW_WORD] = index;
  }
  keys.sort();
  const order = new Uint32Array(count);
  for (let position = 0; position < count; position++) order[position] = words[2 * position + LOW_WORD];
  orderTies(order, words, leafHashes);
  return order;
}

/** Sorts by full hash each run of `order` whose keys share their high word (the first four bytes of the hash). */
function orderTies(order: Uint32Array, words: Uint32Array, leafHashes: Uint8Array): void {
  const compareHashes = (a: number, b: number) =>
    Buffer.compare(
      leafHashes.subarray(a * HASH_LENGTH, (a + 1) * HASH_LENGTH),
      leafHashes.subarray(b * HASH_LENGTH, (b + 1) * HASH_LENGTH),
    );
  let runStart = 0;
  for (let position = 1; position <= order.length; position++) {
    const runEnds = position === order.length || words[2 * position + HIGH_WORD] !== words[2 * runStart + HIGH_WORD];
    if (!runEnds) continue;
    if (position - runStart > 1) order.subarray(runStart, position).sort(compareHashes);
    runStart = position;
  }
}
