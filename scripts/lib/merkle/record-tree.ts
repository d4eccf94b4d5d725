/**
 * A built record tree: the nodes of an OpenZeppelin StandardMerkleTree in its array layout, and what a proof needs.
 */
import { toHex32 } from "./hex";
import { HASH_LENGTH } from "./keccak";

/** Leaf encoding of attested batches (DESIGN.md, "Wire formats"): record index in the batch, record digest. */
export const RECORD_LEAF_ENCODING: readonly ["uint256", "bytes32"] = ["uint256", "bytes32"];

/**
 * A batch's Merkle tree, laid out as `@openzeppelin/merkle-tree` 1.0.8's `makeMerkleTree` lays it out: node 0 is
 * the root, node i has children 2i + 1 and 2i + 2, and the n leaves fill the last n nodes in descending hash order
 * (the smallest hash is the last node). Roots, proofs and `dump()` therefore equal those of
 * `StandardMerkleTree.of(values, ["uint256", "bytes32"])` for values `[index, digest]`.
 */
export class RecordMerkleTree {
  /**
   * Use `buildRecordTree` or `readStandardDump`; this takes their results as they are, without checks.
   * @param nodes the 2n − 1 nodes, 32 bytes each, in tree order.
   * @param leafTreeIndexes for each record index, the tree index of its leaf.
   * @param digests the n record digests in record order, 32 bytes each.
   */
  constructor(
    private readonly nodes: Uint8Array,
    private readonly leafTreeIndexes: Uint32Array,
    private readonly digests: Uint8Array,
  ) {}

  /** How many records the batch has: the attestation's record count. */
  get recordCount(): number {
    return this.leafTreeIndexes.length;
  }

  /** How many nodes the tree has (2 × records − 1). */
  get nodeCount(): number {
    return this.nodes.length / HASH_LENGTH;
  }

  /** The Merkle root, as 0x-hex: what an attestation commits on chain. */
  get root(): string {
    return this.node(0);
  }

  /** Node `treeIndex` as 0x-hex. */
  node(treeIndex: number): string {
    this.checkTreeIndex(treeIndex);
    return toHex32(this.nodes, treeIndex * HASH_LENGTH);
  }

  /** The digest of record `index`, as 0x-hex. */
  digest(index: number): string {
    this.checkRecordIndex(index);
    return toHex32(this.digests, index * HASH_LENGTH);
  }

  /** The tree index of record `index`'s leaf. */
  leafTreeIndex(index: number): number {
    this.checkRecordIndex(index);
    return this.leafTreeIndexes[index];
  }

  /** The leaf hash of record `index`, as 0x-hex. */
  leafHash(index: number): string {
    return this.node(this.leafTreeIndex(index));
  }

  /**
   * The proof of record `index`: the siblings on the way from its leaf up to the root, as 0x-hex. It is the proof
   * `StandardMerkleTree.getProof(index)` gives and what OpenZeppelin `MerkleProof.verify` takes.
   */
  proof(index: number): string[] {
    const siblings: string[] = [];
    for (let treeIndex = this.leafTreeIndex(index); treeIndex > 0; treeIndex = (treeIndex - 1) >> 1) {
      const sibling = treeIndex % 2 === 1 ? treeIndex + 1 : treeIndex - 1;
      siblings.push(toHex32(this.nodes, sibling * HASH_LENGTH));
    }
    return siblings;
  }

  private checkRecordIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.recordCount) {
      throw new RangeError(`record index ${index} is not in the batch (0 to ${this.recordCount - 1})`);
    }
  }

  private checkTreeIndex(treeIndex: number): void {
    if (!Number.isInteger(treeIndex) || treeIndex < 0 || treeIndex >= this.nodeCount) {
      throw new RangeError(`tree index ${treeIndex} is not in the tree (0 to ${this.nodeCount - 1})`);
    }
  }
}
