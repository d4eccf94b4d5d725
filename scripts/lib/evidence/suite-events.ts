/**
 * The suite's events an evidence bundle is made of, decoded with the TypeChain ABIs into plain JSON values
 * (numbers as decimal strings), so the builder and the verifier read logs the same way.
 */
import { Result } from "ethers";
import type { Interface } from "ethers";
import { AccessGrants__factory, AttestationRegistry__factory } from "../../../typechain-types";
import type { RpcLog } from "./bundle-format";

/** The contracts whose events a bundle holds, as the bundle's `contracts` names them. */
export type EvidenceContract = "AccessGrants" | "AttestationRegistry";

export const CONTRACT_INTERFACES: Record<EvidenceContract, Interface> = {
  AccessGrants: AccessGrants__factory.createInterface(),
  AttestationRegistry: AttestationRegistry__factory.createInterface(),
};

/** A decoded event: its name and its arguments by name, as plain JSON values. */
export interface DecodedEvent {
  name: string;
  args: Record<string, PlainValue>;
}

export type PlainValue = string | boolean | PlainValue[] | { [name: string]: PlainValue };

/** The topic0 of each named event of `contract`. */
export function eventTopics(contract: EvidenceContract, names: readonly string[]): string[] {
  return names.map((name) => CONTRACT_INTERFACES[contract].getEvent(name)!.topicHash);
}

/** Decodes `log` as an event of `contract`, or returns undefined when no event of its ABI matches. */
export function decodeLog(contract: EvidenceContract, log: Pick<RpcLog, "topics" | "data">): DecodedEvent | undefined {
  let parsed;
  try {
    parsed = CONTRACT_INTERFACES[contract].parseLog({ topics: log.topics, data: log.data });
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const args = Object.fromEntries(
    parsed.fragment.inputs.map((input, position) => [input.name, toPlain(parsed.args[position])]),
  );
  return { name: parsed.name, args };
}

/**
 * An ABI-decoded value as JSON: bigints as decimal strings, hex (addresses, hashes) in lower case, other text as it
 * is, structs as objects.
 */
export function toPlain(value: unknown): PlainValue {
  if (typeof value === "bigint" || typeof value === "number") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
  if (typeof value === "boolean") return value;
  if (value instanceof Result) {
    const named = resultKeys(value);
    if (named.length === 0) return value.toArray().map(toPlain);
    return Object.fromEntries(named.map((key) => [key, toPlain(value.getValue(key))]));
  }
  if (Array.isArray(value)) return value.map(toPlain);
  throw new TypeError(`cannot represent ${String(value)} in a bundle`);
}

function resultKeys(result: Result): string[] {
  try {
    return Object.keys(result.toObject()).filter((key) => !/^_?\d+$/.test(key));
  } catch {
    return [];
  }
}
