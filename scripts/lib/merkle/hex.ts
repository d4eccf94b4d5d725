/** 32-byte values as 0x-prefixed hex, the form JSON files, ethers and OpenZeppelin's merkle-tree use. */
import { HASH_LENGTH } from "./keccak";

const HEX_32 = /^0x[0-9a-fA-F]{64}$/;

/** The 32 bytes of `bytes` at `offset`, as lowercase 0x-hex. */
export function toHex32(bytes: Uint8Array, offset = 0): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset + offset, HASH_LENGTH).toString("hex")}`;
}

/** The bytes of a 0x-hex 32-byte value; `what` names it in the error. */
export function parseHex32(text: unknown, what: string): Uint8Array {
  if (typeof text !== "string" || !HEX_32.test(text)) {
    throw new TypeError(`${what} must be 0x and 64 hex digits, not ${JSON.stringify(text)}`);
  }
  return Buffer.from(text.slice(2), "hex");
}

/** A 32-byte value given as bytes or 0x-hex, as bytes; `what` names it in the error. */
export function bytes32(value: Uint8Array | string, what: string): Uint8Array {
  if (typeof value === "string") return parseHex32(value, what);
  if (!(value instanceof Uint8Array) || value.length !== HASH_LENGTH) {
    throw new TypeError(`${what} must be ${HASH_LENGTH} bytes`);
  }
  return value;
}
