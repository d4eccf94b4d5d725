/**
 * `dxl attest <file.csv|file.ndjson> --source <id>`: streams the batch's records, digests each one's RFC 8785
 * canonical JSON, builds the batch's Merkle tree, writes the proofs file (`<name>.proofs.ndjson`) and the
 * StandardMerkleTree dump (`<name>.tree.json`) beside the input, and attests the root. Nothing is sent when a line
 * is malformed, the signer may not attest for the source, or the node is of another chain.
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { id } from "ethers";
import type { AttestationRegistry, IAttestationRegistry } from "../../../typechain-types";
import { buildRecordTree, writeProofsFile, writeStandardDump } from "../../lib/merkle";
import type { RecordMerkleTree } from "../../lib/merkle";
import { digestBatchFile } from "../../lib/record-batch";
import type { DigestedBatch } from "../../lib/record-batch";
import { recordFileFormat } from "../../lib/record-files";
import type { RecordFileFormat } from "../../lib/record-files";
import { checkCall, eventsIn, sendChecked } from "../../lib/transactions";
import { openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { DxlError } from "../errors";
import type { Output } from "../output";
import { parseBytes32, parseTime } from "../parse";
import { startProgress } from "../progress";
import { reportTransaction } from "../report";

interface AttestOptions extends ConnectionOptions {
  source: string;
  periodStart?: bigint;
  periodEnd?: bigint;
  timeField: string;
  dataUri: string;
}

/** The files `dxl attest` writes beside its input. */
export function attestOutputFiles(input: string): { proofsFile: string; treeFile: string } {
  const { dir, name } = path.parse(input);
  return { proofsFile: path.join(dir, `${name}.proofs.ndjson`), treeFile: path.join(dir, `${name}.tree.json`) };
}

/** Registers `dxl attest`. */
export function registerAttestCommand(program: Command): void {
  withSignerOptions(
    program
      .command("attest")
      .description("attest a batch of records (CSV with a header line, or NDJSON) by its Merkle root")
      .argument("<file>", "the batch: .csv or .ndjson")
      .requiredOption("--source <sourceId>", "the data source the records come from", parseBytes32)
      .option("--period-start <time>", "start of the period covered (unix seconds or ISO 8601)", parseTime)
      .option("--period-end <time>", "end of the period covered (unix seconds or ISO 8601)", parseTime)
      .option("--time-field <name>", "record field whose earliest and latest times make the period", "timestamp")
      .option("--data-uri <uri>", "where those entitled can fetch the batch", ""),
  ).action(attestFile);
}

async function attestFile(file: string, options: AttestOptions): Promise<void> {
  const format = batchFormat(file);
  const { suite, output } = await openSigningSuite(options);
  const { attestations } = suite;
  const chain = await attestations.getSourceChain(options.source);
  // Role, source and pause are checked before a million records are read.
  await checkCall(attestations.attest, placeholderRequest(options, chain));

  const batch = await readBatch(file, format, options, output);
  rejectMalformed(file, batch);
  const period = periodOf(batch, options);
  output.note(`building the Merkle tree of ${batch.recordCount} records`);
  const tree = await buildRecordTree(batch.digests);
  const request: IAttestationRegistry.AttestationRequestStruct = {
    sourceId: options.source,
    merkleRoot: tree.root,
    recordCount: tree.recordCount,
    periodStart: period.start,
    periodEnd: period.end,
    previousAttestationId: chain.headAttestationId,
    dataURI: options.dataUri,
  };
  await checkCall(attestations.attest, request);
  const files = await writeTreeFiles(file, tree, output);
  await submitAttestation(attestations, request, files, output);
}

function batchFormat(file: string): RecordFileFormat {
  const format = recordFileFormat(file);
  if (!format) throw new DxlError(`${file}: a batch file must end in .csv or .ndjson`);
  if (!fs.existsSync(file)) throw new DxlError(`no such file: ${file}`);
  return format;
}

/** A request that passes every check but the batch's own, to learn early whether the signer may attest at all. */
function placeholderRequest(
  options: AttestOptions,
  chain: IAttestationRegistry.SourceChainStructOutput,
): IAttestationRegistry.AttestationRequestStruct {
  return {
    sourceId: options.source,
    merkleRoot: id("dxl attest: permission check"),
    recordCount: 1,
    periodStart: chain.lastPeriodEnd,
    periodEnd: chain.lastPeriodEnd,
    previousAttestationId: chain.headAttestationId,
    dataURI: "",
  };
}

async function readBatch(
  file: string,
  format: RecordFileFormat,
  options: AttestOptions,
  output: Output,
): Promise<DigestedBatch> {
  const periodGiven = options.periodStart !== undefined && options.periodEnd !== undefined;
  const progress = startProgress("reading records", fs.statSync(file).size, { enabled: !output.json, bytes: true });
  try {
    return await digestBatchFile(file, format, {
      timeField: periodGiven ? undefined : options.timeField,
      onBytes: progress.update,
    });
  } finally {
    progress.stop();
  }
}

function rejectMalformed(file: string, batch: DigestedBatch): void {
  if (batch.malformedCount === 0) {
    if (batch.recordCount === 0) throw new DxlError(`${file} holds no records; nothing submitted`);
    return;
  }
  const listed = batch.malformed.map(({ line, problem }) => `line ${line}: ${problem}`).join("; ");
  const unlisted = batch.malformedCount - batch.malformed.length;
  const more = unlisted > 0 ? `; and ${unlisted} more` : "";
  const plural = batch.malformedCount === 1 ? "line" : "lines";
  throw new DxlError(`${file}: ${batch.malformedCount} malformed ${plural}, nothing submitted: ${listed}${more}`);
}

function periodOf(batch: DigestedBatch, options: AttestOptions): { start: bigint; end: bigint } {
  const { start, end, firstLineWithoutTime } = batch.period;
  const needsRecordTimes = options.periodStart === undefined || options.periodEnd === undefined;
  if (needsRecordTimes && (firstLineWithoutTime !== undefined || start === undefined || end === undefined)) {
    const where = firstLineWithoutTime !== undefined ? ` (line ${firstLineWithoutTime} has none)` : "";
    throw new DxlError(
      `no period for the batch: give --period-start and --period-end, or a --time-field every record has a time ` +
        `in ("${options.timeField}"${where}); nothing submitted`,
    );
  }
  return { start: options.periodStart ?? start!, end: options.periodEnd ?? end! };
}

async function writeTreeFiles(
  input: string,
  tree: RecordMerkleTree,
  output: Output,
): Promise<{ proofsFile: string; treeFile: string }> {
  const files = attestOutputFiles(input);
  output.note(`writing ${files.proofsFile} and ${files.treeFile}`);
  await writeProofsFile(tree, files.proofsFile);
  await writeStandardDump(tree, files.treeFile);
  return files;
}

async function submitAttestation(
  attestations: AttestationRegistry,
  request: IAttestationRegistry.AttestationRequestStruct,
  files: { proofsFile: string; treeFile: string },
  output: Output,
): Promise<void> {
  const { receipt } = await sendChecked(attestations.attest, request);
  const [event] = eventsIn(receipt, attestations, "AttestationRecorded");
  const attestationId = event.args.attestationId as bigint;
  reportTransaction(
    output,
    receipt,
    `attestation ${attestationId}: ${request.recordCount} records, root ${request.merkleRoot}, proofs in ${files.proofsFile}`,
    {
      attestationId,
      merkleRoot: request.merkleRoot,
      recordCount: request.recordCount,
      periodStart: request.periodStart,
      periodEnd: request.periodEnd,
      previousAttestationId: request.previousAttestationId,
      ...files,
    },
  );
}
