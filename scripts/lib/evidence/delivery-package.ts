/**
 * A delivery package: the records a holder handed over under a grant, each with its digest and its Merkle proof
 * against the attestation it was drawn from. `dxl deliver` writes one per delivery; `dxl evidence --package`
 * puts it into a bundle, where the verifier proves each record against the attested root and the whole against
 * the delivery's payload hash.
 *
 * The payload hash recorded on chain for a delivery is keccak256 of the UTF-8 bytes of the RFC 8785 canonical
 * JSON of the array of the delivered records, in the package's order (see {@link deliveryPayloadHash}).
 */
import { DELIVERY_PACKAGE_FORMAT } from "../delivery";
import { recordDigestHex } from "../merkle";
import type { Json, RecordMerkleTree } from "../merkle";

/** The format `dxl deliver` writes (scripts/lib/delivery.ts), of which a bundle needs the fields below. */
export { DELIVERY_PACKAGE_FORMAT } from "../delivery";

/** One delivered record: its index in the attested batch, the record, its digest and its proof. */
export interface DeliveredRecord {
  index: number;
  record: Json;
  /** keccak256 of the record's canonical JSON, UTF-8. */
  digest: string;
  /** Siblings from the record's leaf up to the root, as OpenZeppelin `MerkleProof` takes them. */
  proof: string[];
}

/** What `dxl deliver` writes beside a delivery, and what `dxl evidence --package` reads. */
export interface DeliveryPackage {
  format?: typeof DELIVERY_PACKAGE_FORMAT;
  requestId: string;
  /** The delivery's id on chain, decimal. */
  deliveryId: string;
  /** The attestation the records were drawn from, decimal. */
  attestationId: string;
  /** The attestation's Merkle root. */
  root: string;
  records: DeliveredRecord[];
}

/** Thrown when a delivery package is not well formed; the message names the field. */
export class DeliveryPackageError extends Error {
  override name = "DeliveryPackageError";
}

/** The payload hash of a delivery of `records` (in order): what `recordDelivery` must be given. */
export { payloadHashOf as deliveryPayloadHash } from "../delivery";

/**
 * The package of a delivery: each of `records` (a record and its index in the batch) with its digest and its
 * proof in `tree`, the attestation's tree.
 */
export async function createDeliveryPackage(delivery: {
  requestId: string;
  deliveryId: bigint | number | string;
  attestationId: bigint | number | string;
  tree: RecordMerkleTree;
  records: readonly { index: number; record: Json }[];
}): Promise<DeliveryPackage> {
  const records = await Promise.all(
    delivery.records.map(async ({ index, record }) => ({
      index,
      record,
      digest: await recordDigestHex(record),
      proof: delivery.tree.proof(index),
    })),
  );
  return {
    format: DELIVERY_PACKAGE_FORMAT,
    requestId: delivery.requestId,
    deliveryId: String(delivery.deliveryId),
    attestationId: String(delivery.attestationId),
    root: delivery.tree.root,
    records,
  };
}

/** Reads a delivery package from its JSON text; `source` (a file name) names it in errors. */
export function parseDeliveryPackage(text: string, source: string): DeliveryPackage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DeliveryPackageError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const fields = requireObject(value, source);
  return {
    format: DELIVERY_PACKAGE_FORMAT,
    requestId: requireHex32(fields.requestId, `${source}: requestId`),
    deliveryId: requireDecimal(fields.deliveryId, `${source}: deliveryId`),
    attestationId: requireDecimal(fields.attestationId, `${source}: attestationId`),
    root: requireHex32(fields.root, `${source}: root`),
    records: requireArray(fields.records, `${source}: records`).map((record, position) =>
      parseDeliveredRecord(record, `${source}: records[${position}]`),
    ),
  };
}

function parseDeliveredRecord(value: unknown, where: string): DeliveredRecord {
  const fields = requireObject(value, where);
  const index = Number(requireDecimal(fields.index, `${where}.index`));
  if (!("record" in fields)) throw new DeliveryPackageError(`${where}.record is missing`);
  return {
    index,
    record: fields.record as Json,
    digest: requireHex32(fields.digest, `${where}.digest`),
    proof: requireArray(fields.proof, `${where}.proof`).map((node, step) =>
      requireHex32(node, `${where}.proof[${step}]`),
    ),
  };
}

function requireObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DeliveryPackageError(`${where} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function requireArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new DeliveryPackageError(`${where} must be an array`);
  return value;
}

function requireHex32(value: unknown, where: string): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new DeliveryPackageError(`${where} must be 0x and 64 hex digits, not ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}

function requireDecimal(value: unknown, where: string): string {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !/^(0|[1-9][0-9]*)$/.test(text)) {
    throw new DeliveryPackageError(`${where} must be a whole number, not ${JSON.stringify(value)}`);
  }
  return text;
}
