/**
 * The ledger's 32-byte values. Those the protocol defines (request ids, chain digests, source ids) are keccak256 as
 * the contracts compute them; the opaque ones (Merkle roots, payload, scope and case hashes, block and transaction
 * hashes) are SHA-256 of a label: native, and some 30 times cheaper than keccak256 in JavaScript on these machines,
 * which matters at two million events. Nothing reads an opaque value as the keccak of anything.
 */
import { createHash } from "node:crypto";
import { keccak256 } from "ethers";

/** A stable opaque 32-byte value for `label`. */
export function hashOf(label: string): string {
  return `0x${createHash("sha256").update(label).digest("hex")}`;
}

/** keccak256 of hex words (without `0x`) laid end to end, as `abi.encode` of static values lays them. */
export function keccakOfWords(words: readonly string[]): string {
  return keccak256(Buffer.from(words.join(""), "hex"));
}
