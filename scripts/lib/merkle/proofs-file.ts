/**
 * The proofs file: every record's inclusion proof, to hand over with the records, one line per record so it can be
 * written and checked as a stream and cut into the lines of the records delivered.
 *
 * Format "dxl-record-proofs-v1": UTF-8 text, one JSON object per line, lines ending in "\n" (NDJSON).
 *
 * - Line 1, the header: `{"format":"dxl-record-proofs-v1","leafEncoding":["uint256","bytes32"],"root":"0x…",
 *   "recordCount":N}`: the batch's Merkle root and record count, as attested on chain.
 * - Then one line per proven record, in ascending record index: `{"index":i,"digest":"0x…","proof":["0x…",…]}`:
 *   the record's index in the batch, the keccak256 of its canonical JSON, and the sibling hashes from its leaf up
 *   (OpenZeppelin `MerkleProof.verify(proof, root, leaf)` with leaf = keccak256(keccak256(abi.encode(i, digest)))).
 *
 * No whitespace, hex in lowercase. A file may hold every record of the batch or only some (those delivered). A
 * line is about 70 bytes per level of the tree: all of a million records make 1.4 GB (written in 32 s here, in
 * constant memory), so hand over the lines of the records delivered.
 */
import { createReadStream } from "node:fs";
import readline from "node:readline";
import { parseHex32 } from "./hex";
import { RECORD_LEAF_ENCODING } from "./record-tree";
import type { RecordMerkleTree } from "./record-tree";
import { writeTextFile } from "./text-file";
import { MAX_RECORDS } from "./tree-builder";
import { rootOfRecordProof } from "./verify";

/** The format name of line 1. */
export const PROOFS_FILE_FORMAT = "dxl-record-proofs-v1";

/** Line 1 of a proofs file. */
export interface ProofsFileHeader {
  format: typeof PROOFS_FILE_FORMAT;
  leafEncoding: string[];
  root: string;
  recordCount: number;
}

/** A record line of a proofs file. */
export interface ProofsFileRecord {
  index: number;
  digest: string;
  proof: string[];
}

/** Thrown for a proofs file that does not follow the format or whose proof fails; `line` counts from 1. */
export class ProofsFileError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`proofs file line ${line}: ${problem}`);
    this.name = "ProofsFileError";
  }
}

/**
 * Writes the proofs of `tree`'s records to `path`, streamed: all of them, or those of `indexes` (ascending, no
 * repeats).
 */
export async function writeProofsFile(tree: RecordMerkleTree, path: string, indexes?: Iterable<number>): Promise<void> {
  await writeTextFile(path, proofsFileLines(tree, indexes ?? allIndexes(tree.recordCount)));
}

/**
 * Opens a proofs file: its header now, its records as they are read. Iterate `records` to the end (or leave the
 * loop early) so the file is closed.
 */
export async function readProofsFile(
  path: string,
): Promise<{ header: ProofsFileHeader; records: AsyncGenerator<ProofsFileRecord> }> {
  const reader = readline.createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) {
    reader.close();
    throw new ProofsFileError(1, "the file is empty; line 1 must be the header");
  }
  const header = parseHeader(first.value);
  return { header, records: parseRecords(lines, header, () => reader.close()) };
}

/**
 * Checks every proof of the file against its header's root.
 * @returns the header and how many records were checked.
 * @throws ProofsFileError naming the first bad line.
 */
export async function verifyProofsFile(path: string): Promise<{ header: ProofsFileHeader; verifiedRecords: number }> {
  const { header, records } = await readProofsFile(path);
  let verifiedRecords = 0;
  for await (const record of records) {
    if ((await rootOfRecordProof(record)) !== header.root) {
      throw new ProofsFileError(verifiedRecords + 2, `record ${record.index}'s proof does not lead to the root`);
    }
    verifiedRecords += 1;
  }
  return { header, verifiedRecords };
}

function* allIndexes(count: number): Generator<number> {
  for (let index = 0; index < count; index++) yield index;
}

function* proofsFileLines(tree: RecordMerkleTree, indexes: Iterable<number>): Generator<string> {
  const header: ProofsFileHeader = {
    format: PROOFS_FILE_FORMAT,
    leafEncoding: [...RECORD_LEAF_ENCODING],
    root: tree.root,
    recordCount: tree.recordCount,
  };
  yield `${JSON.stringify(header)}\n`;
  let previous = -1;
  for (const index of indexes) {
    if (index <= previous)
      throw new RangeError(`proofs file indexes must ascend without repeats: ${index} after ${previous}`);
    previous = index;
    const record: ProofsFileRecord = { index, digest: tree.digest(index), proof: tree.proof(index) };
    yield `${JSON.stringify(record)}\n`;
  }
}

async function* parseRecords(
  lines: AsyncIterator<string>,
  header: ProofsFileHeader,
  close: () => void,
): AsyncGenerator<ProofsFileRecord> {
  try {
    let previousIndex = -1;
    for (let lineNumber = 2; ; lineNumber++) {
      const next = await lines.next();
      if (next.done) return;
      const record = parseRecord(next.value, lineNumber, header);
      if (record.index <= previousIndex) {
        throw new ProofsFileError(lineNumber, `index ${record.index} does not ascend (after ${previousIndex})`);
      }
      previousIndex = record.index;
      yield record;
    }
  } finally {
    close();
  }
}

function parseHeader(line: string): ProofsFileHeader {
  const fields = parseLine(line, 1);
  const fail = (problem: string) => new ProofsFileError(1, problem);
  if (fields.format !== PROOFS_FILE_FORMAT) throw fail(`format must be "${PROOFS_FILE_FORMAT}"`);
  if (JSON.stringify(fields.leafEncoding) !== JSON.stringify(RECORD_LEAF_ENCODING)) {
    throw fail(`leafEncoding must be ${JSON.stringify(RECORD_LEAF_ENCODING)}`);
  }
  const recordCount = fields.recordCount;
  if (!Number.isInteger(recordCount) || (recordCount as number) < 1 || (recordCount as number) > MAX_RECORDS) {
    throw fail(`recordCount must be a whole number from 1 to ${MAX_RECORDS}`);
  }
  const root = hexField(fields.root, "root", 1);
  return {
    format: PROOFS_FILE_FORMAT,
    leafEncoding: [...RECORD_LEAF_ENCODING],
    root,
    recordCount: recordCount as number,
  };
}

function parseRecord(line: string, lineNumber: number, header: ProofsFileHeader): ProofsFileRecord {
  const fields = parseLine(line, lineNumber);
  const index = fields.index;
  if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= header.recordCount) {
    throw new ProofsFileError(lineNumber, `index must be a whole number from 0 to ${header.recordCount - 1}`);
  }
  if (!Array.isArray(fields.proof)) throw new ProofsFileError(lineNumber, "proof must be an array of 0x-hex hashes");
  return {
    index: index as number,
    digest: hexField(fields.digest, "digest", lineNumber),
    proof: fields.proof.map((sibling, step) => hexField(sibling, `proof[${step}]`, lineNumber)),
  };
}

function parseLine(line: string, lineNumber: number): Record<string, unknown> {
  let fields: unknown;
  try {
    fields = JSON.parse(line);
  } catch (error) {
    throw new ProofsFileError(lineNumber, `not JSON (${(error as Error).message})`);
  }
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new ProofsFileError(lineNumber, "must be a JSON object");
  }
  return fields as Record<string, unknown>;
}

/** A 0x-hex 32-byte field, lowercased, or a {@link ProofsFileError}. */
function hexField(value: unknown, name: string, lineNumber: number): string {
  try {
    parseHex32(value, name);
  } catch (error) {
    throw new ProofsFileError(lineNumber, (error as Error).message);
  }
  return (value as string).toLowerCase();
}
