/**
 * Reading a batch of records from a file, streamed, line by line: NDJSON (one JSON object a line) or CSV (a header
 * line naming the columns, then one record a line; every value is kept as the string the file holds, so a record's
 * canonical form does not depend on how a reader would have guessed its types). Blank lines are skipped. A line
 * that is not a record is reported with its line number, and reading goes on so every bad line is found at once.
 */
import { createReadStream } from "node:fs";
import path from "node:path";
import readline from "node:readline";

/** A record and the line it came from (counting from 1). */
export interface RecordLine {
  line: number;
  record: Record<string, unknown>;
}

/** A line that holds no record, and why. */
export interface MalformedLine {
  line: number;
  problem: string;
}

/** The formats records are read from. */
export type RecordFileFormat = "csv" | "ndjson";

/** The format a file's extension names (`.csv`; `.ndjson`, `.jsonl`), or undefined. */
export function recordFileFormat(file: string): RecordFileFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === ".csv") return "csv";
  if (extension === ".ndjson" || extension === ".jsonl") return "ndjson";
  return undefined;
}

/**
 * The records of `file`, in order, each a record or a malformed line. `onBytes` is told how many bytes were read so
 * far (for a progress bar).
 */
export async function* readRecordLines(
  file: string,
  format: RecordFileFormat,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<RecordLine | MalformedLine> {
  const input = createReadStream(file, "utf8");
  if (onBytes) input.on("data", () => onBytes(input.bytesRead));
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  const parse = format === "csv" ? csvRecordParser() : parseNdjsonLine;
  let line = 0;
  try {
    for await (const text of reader) {
      line += 1;
      if (text.trim() === "") continue;
      const parsed = parse(text);
      if (parsed === undefined) continue;
      yield typeof parsed === "string" ? { line, problem: parsed } : { line, record: parsed };
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

/** Whether an item of {@link readRecordLines} is a malformed line. */
export function isMalformed(item: RecordLine | MalformedLine): item is MalformedLine {
  return "problem" in item;
}

/** A record, a problem (string), or undefined for a line that is no record (the CSV header). */
type LineParser = (text: string) => Record<string, unknown> | string | undefined;

function parseNdjsonLine(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "a record must be a JSON object";
  return value as Record<string, unknown>;
}

/** Parses the header on the first call, then records with exactly its columns. */
function csvRecordParser(): LineParser {
  let columns: string[] | undefined;
  return (text) => {
    const fields = splitCsvLine(text);
    if (typeof fields === "string") return fields;
    if (columns === undefined) {
      const duplicate = fields.find((name, index) => fields.indexOf(name) !== index);
      if (duplicate !== undefined) return `the header names the column "${duplicate}" twice`;
      columns = fields;
      return undefined;
    }
    if (fields.length !== columns.length) return `expected ${columns.length} fields, found ${fields.length}`;
    return Object.fromEntries(columns.map((name, index) => [name, fields[index]]));
  };
}

/** The fields of one CSV line (RFC 4180 quoting: `"a ""quoted"", text"`), or a problem. */
function splitCsvLine(text: string): string[] | string {
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (text[position] === '"') {
      const quoted = readQuotedField(text, position);
      if (typeof quoted === "string") return quoted;
      fields.push(quoted.value);
      position = quoted.end;
      if (position < text.length && text[position] !== ",") {
        return `unexpected text after the closing quote at column ${position + 1}`;
      }
    } else {
      const comma = text.indexOf(",", position);
      const end = comma === -1 ? text.length : comma;
      const value = text.slice(position, end);
      if (value.includes('"')) return `a quote inside an unquoted field at column ${position + 1}`;
      fields.push(value);
      position = end;
    }
    if (position >= text.length) return fields;
    position += 1; // the comma
  }
}

function readQuotedField(text: string, start: number): { value: string; end: number } | string {
  let value = "";
  let position = start + 1;
  for (;;) {
    const quote = text.indexOf('"', position);
    if (quote === -1) return `a quoted field opened at column ${start + 1} does not close on its line`;
    value += text.slice(position, quote);
    if (text[quote + 1] !== '"') return { value, end: quote + 1 };
    value += '"';
    position = quote + 2;
  }
}
