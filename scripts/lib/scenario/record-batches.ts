/**
 * Step 3: the records. Each source's share of the records is drawn from its own seeded stream and cut into
 * batches of consecutive days; each batch is written as NDJSON (one RFC 8785 canonical record a line, so a line's
 * keccak256 is the record's digest) with its proofs file beside it, and its Merkle tree is kept for the
 * attestation and the deliveries.
 */
import fs from "node:fs";
import path from "node:path";
import { buildRecordTree, canonicalJson, digestRecords, writeProofsFile } from "../merkle";
import type { RecordMerkleTree } from "../merkle";
import type { ScenarioContext } from "./context";
import { createPopulation } from "./population";
import type { Population } from "./population";
import { stream } from "./random";
import type { Period, ScenarioRecord, SourcePlan } from "./source-plan";
import { SOURCES } from "./sources";

/** The records begin on 2026-03-01 (UTC), whatever the chain's time: the same seed gives the same records. */
export const RECORDS_START = Date.UTC(2026, 2, 1) / 1000;
/** Each batch covers one day. */
const BATCH_PERIOD_SECONDS = 86_400;

/** One batch of one source's records, written and built into its tree. */
export interface RecordBatch {
  source: SourcePlan;
  /** The batch's position in its source's chain, from 0. */
  sequence: number;
  period: Period;
  records: ScenarioRecord[];
  tree: RecordMerkleTree;
  /** Absolute paths of the NDJSON records and of the proofs file. */
  recordsFile: string;
  proofsFile: string;
}

/** What drawing and writing the records needs of the seeding: nothing on chain. */
export type RecordsContext = Pick<ScenarioContext, "seed" | "dataDir" | "report">;

/** How much to generate. */
export interface RecordVolume {
  totalRecords: number;
  recordsPerBatch: number;
}

/**
 * Draws, writes and builds every source's batches: in `SOURCES` order, each source's batches in sequence.
 * @returns the batches in that order: the order they are attested in.
 */
export async function generateRecordBatches(context: RecordsContext, volume: RecordVolume): Promise<RecordBatch[]> {
  const population = createPopulation(context.seed, registerSize(volume.totalRecords));
  const batches: RecordBatch[] = [];
  for (const source of SOURCES) {
    batches.push(...(await generateSourceBatches(context, population, source, volume)));
  }
  const recordCount = batches.reduce((total, batch) => total + batch.records.length, 0);
  context.report("records", `${recordCount} records in ${batches.length} batches written with their proofs`);
  return batches;
}

/** How many records `source` gets of `totalRecords`: its share, at least one. */
export function recordCountOf(source: SourcePlan, totalRecords: number): number {
  return Math.max(1, Math.round(totalRecords * source.share));
}

/** The city has as many residents as the largest register has records: each register lists each resident once. */
function registerSize(totalRecords: number): number {
  const registers = SOURCES.filter((source) => source.isRegister);
  return Math.max(...registers.map((source) => recordCountOf(source, totalRecords)));
}

async function generateSourceBatches(
  context: RecordsContext,
  population: Population,
  source: SourcePlan,
  volume: RecordVolume,
): Promise<RecordBatch[]> {
  const random = stream(context.seed, `records:${source.holder}:${source.name}`);
  const recordCount = recordCountOf(source, volume.totalRecords);
  const batches: RecordBatch[] = [];
  for (let first = 0, sequence = 0; first < recordCount; first += volume.recordsPerBatch, sequence++) {
    const period = batchPeriod(sequence);
    const size = Math.min(volume.recordsPerBatch, recordCount - first);
    const records = Array.from({ length: size }, (_, offset) =>
      source.drawRecord({ random, population, sourceIndex: first + offset, period }),
    );
    batches.push(await writeBatch(context, source, sequence, period, records));
  }
  return batches;
}

/** The day batch `sequence` of a source covers: its chain's periods follow each other without gaps. */
function batchPeriod(sequence: number): Period {
  const start = RECORDS_START + sequence * BATCH_PERIOD_SECONDS;
  return { start, end: start + BATCH_PERIOD_SECONDS };
}

async function writeBatch(
  context: RecordsContext,
  source: SourcePlan,
  sequence: number,
  period: Period,
  records: ScenarioRecord[],
): Promise<RecordBatch> {
  const directory = path.join(context.dataDir, "batches", source.holder, source.name);
  const name = String(sequence).padStart(4, "0");
  const recordsFile = path.join(directory, `${name}.ndjson`);
  const proofsFile = path.join(directory, `${name}.proofs.ndjson`);
  const tree = await buildRecordTree(await digestRecords(records));
  await fs.promises.mkdir(directory, { recursive: true });
  await Promise.all([writeRecordsFile(recordsFile, records), writeProofsFile(tree, proofsFile)]);
  return { source, sequence, period, records, tree, recordsFile, proofsFile };
}

/**
 * Writes records as NDJSON, each line the record's RFC 8785 canonical JSON.
 * @returns the file's text (what a payload hash is taken over).
 */
export async function writeRecordsFile(file: string, records: readonly ScenarioRecord[]): Promise<string> {
  const text = records.map((record) => `${canonicalJson(record)}\n`).join("");
  await fs.promises.writeFile(file, text);
  return text;
}
