/**
 * `npm run bench:merkle [-- --records N]`: the record-batch Merkle library against @openzeppelin/merkle-tree.
 *
 * Generates N call detail records from a fixed seed, canonicalizes and digests them (RFC 8785, keccak256), builds
 * the batch's tree with scripts/lib/merkle in this process, then gives the same digests to
 * `StandardMerkleTree.of` in a child process, and checks that the roots and a sample of proofs are equal. Times
 * tree building alone for both; reports the digest time apart. Progress goes to stderr; stdout gets the table, the
 * notes and, last, one JSON line.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { buildRecordTree, canonicalJson, createRecordDigester, MAX_RECORDS } from "../scripts/lib/merkle";
import type { RecordMerkleTree } from "../scripts/lib/merkle";
import { callRecords } from "./lib/call-records";
import type { CallRecord } from "./lib/call-records";
import { runBench } from "./lib/cleanup";
import type { Cleanup } from "./lib/cleanup";
import { createRandom } from "./lib/ledger/random";
import { positiveInteger } from "./lib/options";
import { peakRssMb, spawnScript } from "./lib/processes";
import { format, machineNote, printNotes, printTable, progressOf, yes } from "./lib/report";

const TARGETS = { speedup: 5, peakRssMb: 1_500 } as const;
const DEFAULT_RECORDS = 1_000_000;
const SEED = 1;
/** Records generated, then digested, at a time: the two phases are timed apart without holding every record. */
const CHUNK_RECORDS = 10_000;
/** Records whose proofs are compared between the two trees, besides the first and the last. */
const SAMPLED_PROOFS = 32;
/** StandardMerkleTree.of took 300–490 s for a million records here with both cores busy. */
const OPENZEPPELIN_TIMEOUT_MS = 3 * 60 * 60_000;
/** The reference peaked at 1.9–2.7 GB at a million records; room above Node's default heap limit for larger runs. */
const OPENZEPPELIN_NODE_OPTIONS = ["--max-old-space-size=16384"];

const progress = progressOf("merkle");

/** Canonicalizing and digesting the batch. */
interface Digesting {
  digests: Uint8Array;
  generateSeconds: number;
  digestSeconds: number;
  canonicalBytes: number;
}

/** The reference build in its child process. */
interface OpenZeppelinBuild {
  seconds: number;
  root: string;
  proofs: Record<string, string[]>;
  peakRssMb: number;
}

function main(): void {
  let records: number;
  try {
    records = readRecordsOption();
  } catch (error) {
    console.error(`bench:merkle: ${(error as Error).message}\nusage: npm run bench:merkle [-- --records N]`);
    process.exitCode = 2;
    return;
  }
  const loadBefore = os.loadavg();
  const started = performance.now();
  runBench((cleanup) => run(records, cleanup, loadBefore, started), progress);
}

async function run(records: number, cleanup: Cleanup, loadBefore: number[], started: number): Promise<void> {
  progress(`generating, canonicalizing and digesting ${format(records)} call records`);
  const digesting = await digestCallRecords(records);
  progress(
    `  digests in ${digesting.digestSeconds.toFixed(1)} s (generation ${digesting.generateSeconds.toFixed(1)} s)`,
  );

  progress("building the tree with scripts/lib/merkle");
  const buildStarted = performance.now();
  const tree = await buildRecordTree(digesting.digests);
  const seconds = (performance.now() - buildStarted) / 1000;
  const ourPeakRssMb = peakRssMb(process.pid);
  progress(`  ${seconds.toFixed(2)} s, root ${tree.root}`);

  const samples = sampleIndexes(records);
  progress("building the tree with @openzeppelin/merkle-tree StandardMerkleTree.of (child process)");
  const reference = await buildWithOpenZeppelin(digesting.digests, samples, cleanup);
  progress(`  ${reference.seconds.toFixed(1)} s, root ${reference.root}`);

  const rootsEqual = tree.root === reference.root;
  const proofsEqual = samples.every((index) => sameProof(tree.proof(index), reference.proofs[index]));
  const summary = {
    bench: "merkle",
    records,
    seconds: round(seconds, 3),
    ozSeconds: round(reference.seconds, 2),
    speedup: round(reference.seconds / seconds, 1),
    peakRssMb: round(Math.max(ourPeakRssMb, peakRssMb(process.pid)), 1),
    rootsEqual,
  };
  const met = {
    speedup: summary.speedup >= TARGETS.speedup,
    memory: summary.peakRssMb < TARGETS.peakRssMb,
    equal: rootsEqual && proofsEqual,
  };
  printReport({
    summary,
    buildSeconds: seconds,
    digesting,
    reference,
    tree,
    proofsEqual,
    samples: samples.length,
    met,
  });
  printNotes(benchNotes(loadBefore, (performance.now() - started) / 1000));
  console.log(JSON.stringify(summary));
  if (!Object.values(met).every(Boolean)) process.exitCode = 1;
}

function readRecordsOption(): number {
  const { values } = parseArgs({ options: { records: { type: "string" } }, strict: true });
  const records = positiveInteger("records", values.records, DEFAULT_RECORDS);
  if (records > MAX_RECORDS) throw new Error(`--records must be at most ${format(MAX_RECORDS)} (a batch's limit)`);
  return records;
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** Generates the records a chunk at a time and digests each chunk: both phases timed, digests packed. */
async function digestCallRecords(records: number): Promise<Digesting> {
  const digester = await createRecordDigester();
  const digests = new Uint8Array(records * 32);
  const generator = callRecords(records, SEED);
  const result: Digesting = { digests, generateSeconds: 0, digestSeconds: 0, canonicalBytes: 0 };
  for (let first = 0; first < records; first += CHUNK_RECORDS) {
    const generateStarted = performance.now();
    const chunk: CallRecord[] = [];
    for (let index = first; index < Math.min(first + CHUNK_RECORDS, records); index++) {
      chunk.push(generator.next().value as CallRecord);
    }
    const digestStarted = performance.now();
    chunk.forEach((record, offset) => digests.set(digester.digest(record), (first + offset) * 32));
    result.generateSeconds += (digestStarted - generateStarted) / 1000;
    result.digestSeconds += (performance.now() - digestStarted) / 1000;
  }
  result.canonicalBytes = averageCanonicalBytes(records);
  return result;
}

/** Mean UTF-8 size of a record's canonical JSON, over the first thousand records. */
function averageCanonicalBytes(records: number): number {
  const sample = [...callRecords(Math.min(records, 1_000), SEED)];
  const total = sample.reduce((sum, record) => sum + Buffer.byteLength(canonicalJson(record)), 0);
  return total / sample.length;
}

/** The first and last record and {@link SAMPLED_PROOFS} drawn in between, ascending, without repeats. */
function sampleIndexes(records: number): number[] {
  const random = createRandom(SEED);
  const indexes = new Set([0, records - 1]);
  for (let draw = 0; draw < SAMPLED_PROOFS; draw++) indexes.add(random.between(0, records - 1));
  return [...indexes].sort((a, b) => a - b);
}

async function buildWithOpenZeppelin(
  digests: Uint8Array,
  samples: number[],
  cleanup: Cleanup,
): Promise<OpenZeppelinBuild> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "dxl-bench-merkle-"));
  cleanup.add(() => rm(folder, { recursive: true, force: true }));
  const digestsFile = path.join(folder, "digests.bin");
  await writeFile(digestsFile, digests);
  const child = spawnScript("bench/lib/merkle-openzeppelin.ts", [digestsFile, samples.join(",")], {
    nodeOptions: OPENZEPPELIN_NODE_OPTIONS,
  });
  const stop = cleanup.add(() => child.stop());
  try {
    const line = await child.waitFor((fields) => fields.msg === "built", OPENZEPPELIN_TIMEOUT_MS);
    return line.fields as unknown as OpenZeppelinBuild;
  } finally {
    await stop();
  }
}

function sameProof(ours: string[], theirs: string[] | undefined): boolean {
  return theirs !== undefined && ours.length === theirs.length && ours.every((node, step) => node === theirs[step]);
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function printReport(report: {
  summary: { records: number; seconds: number; ozSeconds: number; speedup: number; peakRssMb: number };
  /** Our build's unrounded seconds. */
  buildSeconds: number;
  digesting: Digesting;
  reference: OpenZeppelinBuild;
  tree: RecordMerkleTree;
  proofsEqual: boolean;
  samples: number;
  met: Record<"speedup" | "memory" | "equal", boolean>;
}): void {
  const { summary, buildSeconds, digesting, reference, tree, proofsEqual, samples, met } = report;
  const perSecond = (seconds: number) => format(Math.round(summary.records / seconds));
  const rows: string[][] = [
    ["records (call detail records, seed 1)", format(summary.records), "", ""],
    ["  canonical JSON per record, mean (bytes)", format(Math.round(digesting.canonicalBytes)), "", ""],
    ["canonicalize + digest (s)", digesting.digestSeconds.toFixed(2), "", ""],
    ["  records/s", perSecond(digesting.digestSeconds), "", ""],
    ["  generating the records (s, not counted)", digesting.generateSeconds.toFixed(2), "", ""],
    ["tree build, scripts/lib/merkle (s)", summary.seconds.toFixed(2), "", ""],
    ["  records/s", perSecond(buildSeconds), "", ""],
    ["tree build, StandardMerkleTree.of (s)", summary.ozSeconds.toFixed(1), "", ""],
    ["  records/s", perSecond(reference.seconds), "", ""],
    ["speedup (OpenZeppelin s / ours)", summary.speedup.toFixed(1), `≥ ${TARGETS.speedup}`, yes(met.speedup)],
    [
      "peak RSS, bench process: digests + our tree (MB)",
      summary.peakRssMb.toFixed(1),
      `< ${format(TARGETS.peakRssMb)}`,
      yes(met.memory),
    ],
    ["  peak RSS, OpenZeppelin child process (MB)", reference.peakRssMb.toFixed(1), "", ""],
    ["roots equal", yes(tree.root === reference.root), "yes", yes(met.equal)],
    [`  proofs equal (${samples} sampled records)`, yes(proofsEqual), "", ""],
  ];
  printTable(["figure", "value", "target", "met?"], rows);
}

function benchNotes(loadBefore: number[], seconds: number): string[] {
  return [
    "records: synthetic call detail records (subscriber, IMSI, other party, cell, start time, duration, data " +
      `volume, roaming) from a seeded generator, the same on every run; ${format(CHUNK_RECORDS)} generated, then ` +
      "canonicalized and digested, at a time.",
    "canonicalize + digest: RFC 8785 canonical JSON, then keccak256 of its UTF-8 bytes (hash-wasm), per record, " +
      "into one packed array; record generation is timed apart and counted nowhere.",
    "tree build: from the packed digests to the root: leaf hashes, leaf order, every node. Ours runs in the " +
      "bench process with its WebAssembly keccak already warm from the digests; StandardMerkleTree.of runs in a " +
      "child process (node --import tsx, heap cap raised) on the same digests as values [index, digest], its " +
      "input conversion not timed.",
    "peak RSS: VmHWM of the bench process, which generates and digests the records and builds our tree (the whole " +
      "attest pipeline but the file writes). The OpenZeppelin child's VmHWM is shown apart, not in the target's " +
      "figure: it measures the reference, not this library.",
    "equality: the two roots, and the proofs of the first, the last and randomly drawn records, string for string.",
    machineNote(loadBefore, seconds),
  ];
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

main();
