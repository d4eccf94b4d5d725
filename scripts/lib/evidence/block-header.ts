/**
 * A block's hash from its header: keccak256 of the RLP list of the header fields in consensus order. Fields added
 * by later forks (London's base fee, Shanghai's withdrawals root, Cancun's blob gas and beacon root, Prague's
 * requests hash) follow the legacy fifteen when the header has them.
 */
import { encodeRlp, keccak256, toBeArray, zeroPadValue } from "ethers";
import type { BlockHeader } from "./bundle-format";

type FieldKind = "data" | "quantity" | "nonce";

/** The header fields in the order the block hash covers them. */
const HEADER_FIELDS: readonly (readonly [name: string, kind: FieldKind])[] = [
  ["parentHash", "data"],
  ["sha3Uncles", "data"],
  ["miner", "data"],
  ["stateRoot", "data"],
  ["transactionsRoot", "data"],
  ["receiptsRoot", "data"],
  ["logsBloom", "data"],
  ["difficulty", "quantity"],
  ["number", "quantity"],
  ["gasLimit", "quantity"],
  ["gasUsed", "quantity"],
  ["timestamp", "quantity"],
  ["extraData", "data"],
  ["mixHash", "data"],
  ["nonce", "nonce"],
  ["baseFeePerGas", "quantity"],
  ["withdrawalsRoot", "data"],
  ["blobGasUsed", "quantity"],
  ["excessBlobGas", "quantity"],
  ["parentBeaconBlockRoot", "data"],
  ["requestsHash", "data"],
];

/** The first fields, present in every header; the rest are appended by forks, in order, while present. */
const LEGACY_FIELD_COUNT = 15;

/** JSON-RPC fields of a block that describe it but are not header fields. */
const NON_HEADER_FIELDS = new Set(["hash", "totalDifficulty", "size", "sealFields", "author"]);

/** Thrown when a header cannot be hashed as given (a field missing, or one this code does not know). */
export class BlockHeaderError extends Error {
  override name = "BlockHeaderError";
}

/** The block hash `header` commits to. */
export function blockHashOf(header: BlockHeader): string {
  checkKnownFields(header);
  const values = headerFieldsInOrder(header).map(([name, kind]) => encodeField(header[name], kind, name));
  return keccak256(encodeRlp(values));
}

function headerFieldsInOrder(header: BlockHeader): (readonly [string, FieldKind])[] {
  const fields = HEADER_FIELDS.slice(0, LEGACY_FIELD_COUNT);
  for (const field of HEADER_FIELDS.slice(LEGACY_FIELD_COUNT)) {
    if (header[field[0]] === undefined || header[field[0]] === null) break;
    fields.push(field);
  }
  const missing = fields.filter(([name]) => typeof header[name] !== "string").map(([name]) => name);
  if (missing.length > 0) throw new BlockHeaderError(`the header has no ${missing.join(", ")}`);
  return fields;
}

function checkKnownFields(header: BlockHeader): void {
  const known = new Set(HEADER_FIELDS.map(([name]) => name));
  const unknown = Object.keys(header).filter((name) => !known.has(name) && !NON_HEADER_FIELDS.has(name));
  if (unknown.length > 0) {
    throw new BlockHeaderError(`the header has fields this verifier cannot place: ${unknown.join(", ")}`);
  }
}

function encodeField(value: string, kind: FieldKind, name: string): string | Uint8Array {
  try {
    if (kind === "quantity") return toBeArray(BigInt(value));
    if (kind === "nonce") return zeroPadValue(value, 8);
    return value;
  } catch (error) {
    throw new BlockHeaderError(`the header's ${name} is not hex: ${(error as Error).message}`);
  }
}
