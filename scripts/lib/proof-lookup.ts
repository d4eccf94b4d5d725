/**
 * Finding one record's Merkle proof in the files dxl hands out: a proofs file ("dxl-record-proofs-v1", streamed),
 * a delivery package ("dxl-delivery-package-v1"), or a single proof as JSON `{"index": i, "proof": ["0x…", …]}`.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import readline from "node:readline";
import { DELIVERY_PACKAGE_FORMAT } from "./delivery";
import type { DeliveryPackage } from "./delivery";
import { PROOFS_FILE_FORMAT, readProofsFile } from "./merkle";

/** A record's place in its batch and the proof of it. */
export interface FoundProof {
  index: number;
  proof: string[];
}

/** Thrown for a proof file of no known kind; the message names the file. */
export class ProofLookupError extends Error {
  override name = "ProofLookupError";
}

/**
 * The proof of the record with `digest` in `file` (at `index`, when given). Undefined when the file holds no such
 * record.
 */
export async function findRecordProof(file: string, digest: string, index?: number): Promise<FoundProof | undefined> {
  const matches = (candidate: { index: number; digest?: string }) =>
    (index === undefined || candidate.index === index) &&
    (candidate.digest === undefined || candidate.digest.toLowerCase() === digest.toLowerCase());
  if (await isProofsFile(file)) return findInProofsFile(file, matches);
  const document = await readJson(file);
  if (document.format === DELIVERY_PACKAGE_FORMAT) {
    const entry = (document as unknown as DeliveryPackage).records.find(matches);
    return entry && { index: entry.index, proof: entry.proof };
  }
  if (Number.isInteger(document.index) && Array.isArray(document.proof)) {
    const single = { index: document.index as number, proof: document.proof as string[] };
    return matches({ ...single, digest: document.digest as string | undefined }) ? single : undefined;
  }
  throw new ProofLookupError(`${file} is neither a proofs file, a delivery package, nor {"index", "proof"} JSON`);
}

async function findInProofsFile(
  file: string,
  matches: (candidate: { index: number; digest: string }) => boolean,
): Promise<FoundProof | undefined> {
  const { records } = await readProofsFile(file);
  for await (const record of records) {
    if (matches(record)) return { index: record.index, proof: record.proof };
  }
  return undefined;
}

async function isProofsFile(file: string): Promise<boolean> {
  const reader = readline.createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  try {
    for await (const line of reader) return line.includes(`"format":"${PROOFS_FILE_FORMAT}"`);
    return false;
  } finally {
    reader.close();
  }
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(await readFile(file, "utf8"));
    if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
  } catch (error) {
    throw new ProofLookupError(`${file} is not JSON: ${(error as Error).message}`);
  }
  throw new ProofLookupError(`${file} must hold a JSON object`);
}
