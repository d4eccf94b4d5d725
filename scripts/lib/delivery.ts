/**
 * Deliveries off chain: the payload a holder hands over, its hash (what `recordDelivery` commits), each record's
 * place and proof in the attested batch, and the delivery package the receiver keeps.
 *
 * Payload hash: keccak256 of the UTF-8 bytes of the RFC 8785 canonical JSON of the payload's records array, in
 * the order the payload lists them. A payload file is a JSON array of records, a JSON object `{"records": […]}`,
 * or NDJSON (one record a line, `.ndjson`/`.jsonl`).
 *
 * Delivery package "dxl-delivery-package-v1" (JSON): `{format, chainId, accessGrants, requestId, deliveryId,
 * attestationId, root, payloadHash, transactionHash, records: [{index, digest, proof, record}…]}`; every record
 * with its index in the attested batch and its Merkle proof to `root`, checkable with `dxl verify` or any
 * OpenZeppelin `MerkleProof` implementation.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { hexlify, keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson, CanonicalJsonError, createRecordDigester, readProofsFile, verifyRecordProof } from "./merkle";
import type { ProofsFileHeader } from "./merkle";

/** Format name of a delivery package. */
export const DELIVERY_PACKAGE_FORMAT = "dxl-delivery-package-v1";

/** A delivered record with its place in the batch and its proof. */
export interface ProvenRecord {
  index: number;
  digest: string;
  proof: string[];
  record: unknown;
}

/** What the receiver keeps of a delivery. */
export interface DeliveryPackage {
  format: typeof DELIVERY_PACKAGE_FORMAT;
  chainId: number;
  accessGrants: string;
  requestId: string;
  deliveryId: string;
  attestationId: string;
  root: string;
  payloadHash: string;
  transactionHash: string;
  records: ProvenRecord[];
}

/** Thrown for a payload that cannot be delivered as it is; the message names the file and the problem. */
export class PayloadError extends Error {
  override name = "PayloadError";
}

/** The records of a payload file (see the module comment for the accepted shapes). */
export async function readPayloadRecords(file: string): Promise<unknown[]> {
  const text = await readFile(file, "utf8").catch(() => {
    throw new PayloadError(`cannot read the payload file ${file}`);
  });
  const extension = path.extname(file).toLowerCase();
  const records = extension === ".ndjson" || extension === ".jsonl" ? parseNdjson(text, file) : parseJson(text, file);
  if (records.length === 0) throw new PayloadError(`the payload ${file} holds no records`);
  return records;
}

/** keccak256 of the canonical JSON of the records array: the payload hash `recordDelivery` commits. */
export function payloadHashOf(records: readonly unknown[]): string {
  try {
    return keccak256(toUtf8Bytes(canonicalJson(records)));
  } catch (error) {
    if (error instanceof CanonicalJsonError)
      throw new PayloadError(`the payload is not plain JSON data: ${error.message}`);
    throw error;
  }
}

/**
 * Finds each payload record in a proofs file by its digest and returns it with its batch index and proof, checked
 * against the file's root. Identical records take successive lines of the file.
 * @throws PayloadError naming the first record the file does not hold, or one whose proof fails.
 */
export async function proveRecords(
  records: readonly unknown[],
  proofsFile: string,
): Promise<{ header: ProofsFileHeader; proven: ProvenRecord[] }> {
  const digester = await createRecordDigester();
  const digests = records.map((record) => hexlify(digester.digest(record)));
  const waiting = new Map<string, number[]>();
  digests.forEach((digest, position) => waiting.set(digest, [...(waiting.get(digest) ?? []), position]));
  const { header, records: lines } = await readProofsFile(proofsFile);
  const proven: (ProvenRecord | undefined)[] = new Array(records.length);
  let found = 0;
  for await (const line of lines) {
    const position = waiting.get(line.digest)?.shift();
    if (position === undefined) continue;
    proven[position] = { index: line.index, digest: line.digest, proof: line.proof, record: records[position] };
    if (++found === records.length) break;
  }
  const missing = proven.findIndex((entry) => entry === undefined);
  if (missing !== -1) {
    throw new PayloadError(
      `payload record ${missing} (digest ${digests[missing]}) is not in the batch of ${proofsFile}`,
    );
  }
  await checkProofs(proven as ProvenRecord[], header.root, proofsFile);
  return { header, proven: proven as ProvenRecord[] };
}

/** Writes a delivery package as JSON. */
export async function writeDeliveryPackage(file: string, deliveryPackage: DeliveryPackage): Promise<void> {
  await writeFile(file, `${JSON.stringify(deliveryPackage, null, 2)}\n`);
}

async function checkProofs(proven: ProvenRecord[], root: string, proofsFile: string): Promise<void> {
  for (const entry of proven) {
    if (!(await verifyRecordProof(root, entry))) {
      throw new PayloadError(`the proof of record ${entry.index} in ${proofsFile} does not lead to its root`);
    }
  }
}

function parseJson(text: string, file: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PayloadError(`the payload ${file} is not JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(value)) return value;
  const records = (value as { records?: unknown } | null)?.records;
  if (Array.isArray(records)) return records;
  throw new PayloadError(`the payload ${file} must be an array of records or an object with a "records" array`);
}

function parseNdjson(text: string, file: string): unknown[] {
  const records: unknown[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      throw new PayloadError(`${file} line ${index + 1} is not JSON: ${(error as Error).message}`);
    }
  });
  return records;
}
