/**
 * The root of an Ethereum ordered Merkle-Patricia trie (the transactions and receipts tries of a block): item i
 * under the key RLP(i), nodes referenced by keccak256 of their RLP unless shorter than 32 bytes (then inline).
 */
import { encodeRlp, getBytes, keccak256 } from "ethers";

type TrieNode = string | TrieNode[];

interface Entry {
  nibbles: number[];
  value: string;
}

/** The trie root of `items` (0x-hex byte strings) in order, as a block header's `transactionsRoot` holds it. */
export function orderedTrieRoot(items: readonly string[]): string {
  const entries = items
    .map((value, index) => ({ nibbles: nibblesOf(getBytes(encodeRlp(indexBytes(index)))), value }))
    .sort((a, b) => compareNibbles(a.nibbles, b.nibbles));
  return keccak256(encodeRlp(entries.length === 0 ? "0x" : nodeOf(entries, 0)));
}

/** The node holding `entries`, whose keys agree on their first `depth` nibbles. */
function nodeOf(entries: readonly Entry[], depth: number): TrieNode {
  if (entries.length === 1) return [hexPrefix(entries[0].nibbles.slice(depth), true), entries[0].value];
  const shared = sharedPrefixLength(entries, depth);
  if (shared > 0) {
    return [
      hexPrefix(entries[0].nibbles.slice(depth, depth + shared), false),
      referenceOf(nodeOf(entries, depth + shared)),
    ];
  }
  // Keys RLP(i) are prefix-free, so no key ends at a branch: its value slot stays empty.
  const branch: TrieNode[] = Array.from({ length: 16 }, (_, nibble) => {
    const below = entries.filter((entry) => entry.nibbles[depth] === nibble);
    return below.length === 0 ? "0x" : referenceOf(nodeOf(below, depth + 1));
  });
  return [...branch, "0x"];
}

/** How a parent names a child: the child itself when its RLP is shorter than 32 bytes, else that RLP's hash. */
function referenceOf(node: TrieNode): TrieNode {
  const encoded = encodeRlp(node);
  return getBytes(encoded).length < 32 ? node : keccak256(encoded);
}

function sharedPrefixLength(entries: readonly Entry[], depth: number): number {
  let length = 0;
  for (;;) {
    const nibble = entries[0].nibbles[depth + length];
    if (nibble === undefined || entries.some((entry) => entry.nibbles[depth + length] !== nibble)) return length;
    length++;
  }
}

/** The compact (hex-prefix) encoding of a key's remaining nibbles, flagged as a leaf's or an extension's. */
function hexPrefix(nibbles: readonly number[], isLeaf: boolean): string {
  const isOdd = nibbles.length % 2 === 1;
  const flag = (isLeaf ? 2 : 0) + (isOdd ? 1 : 0);
  const all = isOdd ? [flag, ...nibbles] : [flag, 0, ...nibbles];
  const bytes = Uint8Array.from(
    { length: all.length / 2 },
    (_, position) => all[2 * position] * 16 + all[2 * position + 1],
  );
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

/** An index as RLP encodes an integer: big-endian without leading zeros, zero as no bytes. */
function indexBytes(index: number): string {
  if (index === 0) return "0x";
  const hex = index.toString(16);
  return `0x${hex.length % 2 === 1 ? `0${hex}` : hex}`;
}

function nibblesOf(bytes: Uint8Array): number[] {
  return Array.from(bytes).flatMap((byte) => [byte >> 4, byte & 15]);
}

function compareNibbles(a: readonly number[], b: readonly number[]): number {
  for (let position = 0; position < Math.min(a.length, b.length); position++) {
    if (a[position] !== b[position]) return a[position] - b[position];
  }
  return a.length - b.length;
}
