/**
 * `bench:merkle`'s reference run, as a child process so its memory stays out of the bench's own figure:
 * `node --import tsx bench/lib/merkle-openzeppelin.ts DIGESTS_FILE SAMPLE_INDEXES`. Reads the packed digests
 * (32 bytes a record), times `StandardMerkleTree.of` from @openzeppelin/merkle-tree on values `[index, digest]`,
 * and prints one JSON line: `{msg: "built", seconds, root, proofs: {index: proof}, peakRssMb}`.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { peakRssMb } from "./processes";

const DIGEST_LENGTH = 32;

function main(): void {
  const [digestsFile, sampleList] = process.argv.slice(2);
  if (!digestsFile || sampleList === undefined) throw new Error("usage: merkle-openzeppelin.ts DIGESTS_FILE I,J,…");
  const digests = readFileSync(digestsFile);
  const values: [bigint, string][] = [];
  for (let offset = 0; offset < digests.length; offset += DIGEST_LENGTH) {
    const digest = `0x${digests.toString("hex", offset, offset + DIGEST_LENGTH)}`;
    values.push([BigInt(offset / DIGEST_LENGTH), digest]);
  }
  const started = performance.now();
  const tree = StandardMerkleTree.of(values, ["uint256", "bytes32"]);
  const seconds = (performance.now() - started) / 1000;
  const samples = sampleList === "" ? [] : sampleList.split(",").map(Number);
  const proofs = Object.fromEntries(samples.map((index) => [index, tree.getProof(index)]));
  console.log(JSON.stringify({ msg: "built", seconds, root: tree.root, proofs, peakRssMb: peakRssMb(process.pid) }));
}

main();
