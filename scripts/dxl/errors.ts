/**
 * Every failure of a `dxl` command as one line that names the problem: the suite's custom errors by name and
 * arguments (see `scripts/lib/contract-errors.ts`), a missing role in words, a bad file by its name and line, an
 * unreachable node by its URL. Secrets the command handled (a key, a keystore password) are never part of it.
 */
import { revertError } from "../lib/transactions";

/** A failure the user can fix; its message is the whole story. */
export class DxlError extends Error {
  override name = "DxlError";
}

/** Errors whose message already names the problem and its facts. */
const SELF_EXPLAINING = new Set([
  "CanonicalJsonError",
  "ContractRevertError",
  "DeploymentError",
  "DxlError",
  "PayloadError",
  "ProofLookupError",
  "ProofsFileError",
  "RangeError",
  "RelayRejection",
  "SchemaFileError",
  "SignedDocumentError",
  "SignerConfigError",
]);

const secrets = new Set<string>();

/** Keeps `value` out of every message {@link describeFailure} writes. */
export function registerSecret(value: string | undefined): void {
  if (value) secrets.add(value);
}

/** The one line `dxl: …` says about `error`. */
export function describeFailure(error: unknown): string {
  return redact(firstLine(messageOf(revertError("the call", error))));
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (SELF_EXPLAINING.has(error.name)) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  const file = (error as NodeJS.ErrnoException).path;
  if (code === "ENOENT" && file) return `no such file: ${file}`;
  if (code === "EACCES" && file) return `permission denied: ${file}`;
  if (code === "ECONNREFUSED" || code === "NETWORK_ERROR") return "cannot reach the JSON-RPC node (connection refused)";
  return (error as { shortMessage?: string }).shortMessage ?? error.message;
}

function firstLine(message: string): string {
  return message.split("\n")[0].trim() || "failed without a message";
}

function redact(message: string): string {
  let redacted = message;
  for (const secret of secrets) redacted = redacted.split(secret).join("[redacted]");
  return redacted;
}
