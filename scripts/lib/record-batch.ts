/**
 * A batch file's records digested in one streamed pass, in constant memory per record (32 bytes of digest each): the
 * packed digests for `buildRecordTree`, every malformed line, and the period the records' times span.
 */
import { CanonicalJsonError, createRecordDigester, DigestList } from "./merkle";
import { isMalformed, readRecordLines } from "./record-files";
import type { MalformedLine, RecordFileFormat } from "./record-files";

/** Malformed lines kept with their problem; beyond these, only counted. */
const MALFORMED_LINES_KEPT = 20;

/** What one pass over a batch file found. */
export interface DigestedBatch {
  /** keccak256 of each record's canonical JSON, 32 bytes a record, in file order. */
  digests: Uint8Array;
  recordCount: number;
  /** The first malformed lines; `malformedCount` counts them all. */
  malformed: MalformedLine[];
  malformedCount: number;
  /** The earliest and latest record time (unix seconds), and the first record line without one. */
  period: { start?: bigint; end?: bigint; firstLineWithoutTime?: number };
}

/** Options of {@link digestBatchFile}. */
export interface DigestBatchOptions {
  /** The record field holding each record's time (unix seconds or ISO 8601); records without it are counted. */
  timeField?: string;
  /** Told how many bytes of the file were read so far. */
  onBytes?: (bytesRead: number) => void;
}

/** Reads, canonicalizes and digests every record of a CSV or NDJSON batch file. */
export async function digestBatchFile(
  file: string,
  format: RecordFileFormat,
  options: DigestBatchOptions = {},
): Promise<DigestedBatch> {
  const digester = await createRecordDigester();
  const digests = new DigestList();
  const malformed: MalformedLine[] = [];
  let malformedCount = 0;
  const period: DigestedBatch["period"] = {};
  const reportMalformed = (line: MalformedLine) => {
    malformedCount += 1;
    if (malformed.length < MALFORMED_LINES_KEPT) malformed.push(line);
  };
  for await (const item of readRecordLines(file, format, options.onBytes)) {
    if (isMalformed(item)) {
      reportMalformed(item);
      continue;
    }
    try {
      digests.append(digester.digest(item.record));
    } catch (error) {
      if (!(error instanceof CanonicalJsonError)) throw error;
      reportMalformed({ line: item.line, problem: error.message });
      continue;
    }
    if (options.timeField !== undefined) widenPeriod(period, recordTime(item.record[options.timeField]), item.line);
  }
  return { digests: digests.packed(), recordCount: digests.length, malformed, malformedCount, period };
}

/** A record time as unix seconds: whole seconds as a number or digits, or an ISO 8601 date; undefined otherwise. */
export function recordTime(value: unknown): bigint | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value !== "string") return undefined;
  if (/^\d+$/.test(value)) return BigInt(value);
  const milliseconds = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(milliseconds) || milliseconds < 0 ? undefined : BigInt(Math.floor(milliseconds / 1000));
}

function widenPeriod(period: DigestedBatch["period"], time: bigint | undefined, line: number): void {
  if (time === undefined) {
    period.firstLineWithoutTime ??= line;
    return;
  }
  if (period.start === undefined || time < period.start) period.start = time;
  if (period.end === undefined || time > period.end) period.end = time;
}
