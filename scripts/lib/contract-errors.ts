/**
 * The suite's custom errors by name: revert data found anywhere in an ethers error is decoded against the errors
 * of all four contracts (a call into one can revert with another's error), so a failure reads
 * `AccessGrantsExpired(0x…, 1700000000)`, never raw hex.
 */
import { Interface } from "ethers";
import type { ErrorDescription, InterfaceAbi } from "ethers";
import { AccessGrants__factory } from "../../typechain-types/factories/contracts/AccessGrants__factory";
import { AttestationRegistry__factory } from "../../typechain-types/factories/contracts/AttestationRegistry__factory";
import { Consortium__factory } from "../../typechain-types/factories/contracts/Consortium__factory";
import { DataSourceRegistry__factory } from "../../typechain-types/factories/contracts/DataSourceRegistry__factory";
import { Role } from "./suite-values";

/** A decoded custom error: its name, its arguments and the one-line form `Name(arg, …)`. */
export interface DecodedContractError {
  name: string;
  args: unknown[];
  text: string;
}

/** Every custom error of the four contracts, once per selector. */
const SUITE_ERRORS = new Interface(
  uniqueErrorFragments([
    AccessGrants__factory.abi,
    AttestationRegistry__factory.abi,
    Consortium__factory.abi,
    DataSourceRegistry__factory.abi,
  ]),
);

const ROLE_NAMES = Object.fromEntries(Object.entries(Role).map(([name, value]) => [value, name]));

/** Decodes revert data (0x + selector + arguments) as one of the suite's custom errors, or undefined. */
export function decodeRevertData(data: string): DecodedContractError | undefined {
  let description: ErrorDescription | null;
  try {
    description = SUITE_ERRORS.parseError(data);
  } catch {
    return undefined;
  }
  if (!description) return undefined;
  const args = [...description.args];
  return { name: description.name, args, text: `${description.name}(${args.map(formatArgument).join(", ")})` };
}

/** The suite custom error an ethers error carries (a failed call, estimate or transaction), or undefined. */
export function decodeContractError(error: unknown): DecodedContractError | undefined {
  const data = findRevertData(error);
  return data === undefined ? undefined : decodeRevertData(data);
}

/**
 * What a decoded error means in words, where the name and arguments alone leave a newcomer guessing (a role
 * number, an account outside any organization); undefined when the error speaks for itself.
 */
export function explainContractError(decoded: DecodedContractError): string | undefined {
  const [first, second] = decoded.args;
  switch (decoded.name) {
    case "MemberMissingRole":
      return `${first} does not hold the ${ROLE_NAMES[Number(second)] ?? `role ${second}`} role in an active organization`;
    case "AccessControlUnauthorizedAccount":
      return `${first} is not governance`;
    case "ConsortiumUnauthorizedAccount":
      return `${first} is neither governance nor an ORG_ADMIN of organization ${second}`;
    case "EnforcedPause":
      return "the suite is paused";
    default:
      return undefined;
  }
}

/** Revert data in an ethers error: on the error itself or nested in what the node answered. */
function findRevertData(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const candidate = (error as { data?: unknown }).data;
  if (typeof candidate === "string" && /^0x[0-9a-fA-F]{8}/.test(candidate)) return candidate;
  for (const key of ["error", "info", "cause", "data"]) {
    const found = findRevertData((error as Record<string, unknown>)[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function formatArgument(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatArgument).join(", ")}]`;
  return String(value);
}

function uniqueErrorFragments(abis: InterfaceAbi[]): string[] {
  const signatures = new Set<string>();
  for (const abi of abis) {
    for (const fragment of new Interface(abi).fragments) {
      if (fragment.type === "error") signatures.add(fragment.format("full"));
    }
  }
  return [...signatures];
}
