/**
 * Parsers of option and argument values: each returns the typed value or throws commander's
 * `InvalidArgumentError` with what was expected, which commander reports naming the option.
 */
import { InvalidArgumentError } from "commander";
import { getAddress } from "ethers";
import { recordTime } from "../lib/record-batch";
import { Kind, Role, roleMask } from "../lib/suite-values";

/** A checksummed address. */
export function parseAddress(text: string): string {
  try {
    return getAddress(text);
  } catch {
    throw new InvalidArgumentError("expected an address (0x and 40 hex digits)");
  }
}

/** A 32-byte value as lowercase 0x-hex (a source id, request id, Merkle root). */
export function parseBytes32(text: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new InvalidArgumentError("expected 0x and 64 hex digits");
  return text.toLowerCase();
}

/** A whole number that fits in `bits` bits, as a bigint. */
export function wholeNumber(bits: number): (text: string) => bigint {
  return (text) => {
    if (!/^\d+$/.test(text) || BigInt(text) >= 2n ** BigInt(bits)) {
      throw new InvalidArgumentError(`expected a whole number below 2^${bits}`);
    }
    return BigInt(text);
  };
}

/** A small whole number (a count, a port, a code) from 0 to `max`, as a number. */
export function smallNumber(max: number): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) > max)
      throw new InvalidArgumentError(`expected a whole number from 0 to ${max}`);
    return Number(text);
  };
}

/** A moment as unix seconds: given as unix seconds, or as an ISO 8601 date or date-time (`2024-03-31T00:00:00Z`). */
export function parseTime(text: string): bigint {
  const seconds = recordTime(text);
  if (seconds === undefined) {
    throw new InvalidArgumentError("expected unix seconds or an ISO 8601 date (2024-03-31 or 2024-03-31T12:00:00Z)");
  }
  return seconds;
}

/** An organization kind by name (`TELECOM`, `BANK`, …), as the contracts number it. */
export function parseKind(text: string): number {
  const kind = Kind[text.toUpperCase() as keyof typeof Kind];
  if (kind === undefined) throw new InvalidArgumentError(`expected one of ${Object.keys(Kind).join(", ")}`);
  return kind;
}

/** A comma-separated list of role names (`INVESTIGATOR,SUPERVISOR`) as the contracts' bit mask. */
export function parseRoles(text: string): number {
  const names = text.split(",").map((name) => name.trim().toUpperCase());
  const unknown = names.filter((name) => !(name in Role));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(`unknown role ${unknown.join(", ")}; roles are ${Object.keys(Role).join(", ")}`);
  }
  return roleMask(...names.map((name) => Role[name as keyof typeof Role]));
}

/** Role names of a bit mask, for output. */
export function roleNames(mask: number): string[] {
  return Object.entries(Role)
    .filter(([, role]) => (mask & (1 << role)) !== 0)
    .map(([name]) => name);
}
