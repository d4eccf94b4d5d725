/**
 * A record tree in `@openzeppelin/merkle-tree`'s dump format ("standard-v1"), which `StandardMerkleTree.load`
 * reads: `{format, leafEncoding, tree: [node hex…], values: [{value: [index, digest], treeIndex}…]}`. The index is
 * written as a decimal string (the form OpenZeppelin's documentation uses for uint256 values in JSON).
 */
import { readFile } from "node:fs/promises";
import { parseHex32 } from "./hex";
import { HASH_LENGTH } from "./keccak";
import { RECORD_LEAF_ENCODING } from "./record-tree";
import type { RecordMerkleTree } from "./record-tree";
import { writeTextFile } from "./text-file";
import { buildRecordTree } from "./tree-builder";

/** What `StandardMerkleTree.dump()` returns for a record tree. */
export interface StandardTreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: { value: [string, string]; treeIndex: number }[];
}

/** The dump as an object, for small trees (a million records make about 240 MB of JSON: see {@link writeStandardDump}). */
export function toStandardDump(tree: RecordMerkleTree): StandardTreeDump {
  return {
    format: "standard-v1",
    leafEncoding: [...RECORD_LEAF_ENCODING],
    tree: Array.from({ length: tree.nodeCount }, (_, treeIndex) => tree.node(treeIndex)),
    values: Array.from({ length: tree.recordCount }, (_, index) => dumpValue(tree, index)),
  };
}

/** Writes the dump as JSON to `path`, streamed: the same text as `JSON.stringify(toStandardDump(tree))`. */
export async function writeStandardDump(tree: RecordMerkleTree, path: string): Promise<void> {
  await writeTextFile(path, dumpPieces(tree));
}

/**
 * Reads a dump written by {@link writeStandardDump} or by `StandardMerkleTree.dump()` for values `[index, digest]`.
 * Its tree is rebuilt from its values and must match node for node, as `StandardMerkleTree.load` checks it. The
 * file is parsed whole: a million records' dump (236 MB) took 14 s and peaked at 1.1 GB here.
 */
export async function readStandardDump(path: string): Promise<RecordMerkleTree> {
  return fromStandardDump(JSON.parse(await readFile(path, "utf8")));
}

/**
 * The record tree of a parsed dump.
 * @throws TypeError when the dump is not "standard-v1" with leaf encoding `["uint256", "bytes32"]`, when value `i`
 *   is not `[i, digest]`, or when its tree is not the tree of its values.
 */
export async function fromStandardDump(dump: unknown): Promise<RecordMerkleTree> {
  const { tree: nodes, values } = checkDumpShape(dump);
  const digests = new Uint8Array(values.length * HASH_LENGTH);
  values.forEach((entry, index) => digests.set(parseDumpValue(entry, index), index * HASH_LENGTH));
  const tree = await buildRecordTree(digests);
  checkSameTree(tree, nodes, values);
  return tree;
}

function dumpValue(tree: RecordMerkleTree, index: number): StandardTreeDump["values"][number] {
  return { value: [String(index), tree.digest(index)], treeIndex: tree.leafTreeIndex(index) };
}

function* dumpPieces(tree: RecordMerkleTree): Generator<string> {
  yield `{"format":"standard-v1","leafEncoding":${JSON.stringify(RECORD_LEAF_ENCODING)},"tree":[`;
  for (let treeIndex = 0; treeIndex < tree.nodeCount; treeIndex++) {
    yield `${treeIndex === 0 ? "" : ","}"${tree.node(treeIndex)}"`;
  }
  yield `],"values":[`;
  for (let index = 0; index < tree.recordCount; index++) {
    yield `${index === 0 ? "" : ","}${JSON.stringify(dumpValue(tree, index))}`;
  }
  yield "]}";
}

function checkDumpShape(dump: unknown): { tree: unknown[]; values: unknown[] } {
  const { format, leafEncoding, tree, values } = (dump ?? {}) as Record<string, unknown>;
  if (format !== "standard-v1")
    throw new TypeError(`a dump's format must be "standard-v1", not ${JSON.stringify(format)}`);
  if (JSON.stringify(leafEncoding) !== JSON.stringify(RECORD_LEAF_ENCODING)) {
    throw new TypeError(`a record tree's leaf encoding is ["uint256","bytes32"], not ${JSON.stringify(leafEncoding)}`);
  }
  if (!Array.isArray(tree) || !Array.isArray(values))
    throw new TypeError("a dump needs a tree array and a values array");
  return { tree, values };
}

/** The digest of value `index`, which must be `[index, digest]` (the index as a decimal string or a number). */
function parseDumpValue(entry: unknown, index: number): Uint8Array {
  const value = (entry as { value?: unknown } | null)?.value;
  if (!Array.isArray(value) || value.length !== 2 || String(value[0]) !== String(index)) {
    throw new TypeError(`values[${index}] must hold [${index}, digest] (record ${index} of the batch)`);
  }
  return parseHex32(value[1], `values[${index}]'s digest`);
}

function checkSameTree(tree: RecordMerkleTree, nodes: unknown[], values: unknown[]): void {
  if (nodes.length !== tree.nodeCount) {
    throw new TypeError(`the dump has ${nodes.length} nodes; ${tree.recordCount} records make ${tree.nodeCount}`);
  }
  nodes.forEach((node, treeIndex) => {
    if (typeof node !== "string" || node.toLowerCase() !== tree.node(treeIndex)) {
      throw new TypeError(`the dump's node ${treeIndex} is not the tree of its values`);
    }
  });
  values.forEach((entry, index) => {
    if ((entry as { treeIndex?: unknown }).treeIndex !== tree.leafTreeIndex(index)) {
      throw new TypeError(`values[${index}].treeIndex is not where record ${index}'s leaf is`);
    }
  });
}
