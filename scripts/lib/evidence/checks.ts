/** The verifier's results: one named check each, passed, failed with the reason, or skipped with why. */

export type CheckStatus = "passed" | "failed" | "skipped";

/** One check of a bundle. `name` says what was checked (`request 0x…: id is the EIP-712 digest of its values`). */
export interface EvidenceCheck {
  name: string;
  status: CheckStatus;
  /** Why it failed or was skipped. */
  reason?: string;
}

/** The result of a test: undefined when it holds, else the reason it does not (or a skip, with its reason). */
export type Outcome = string | undefined | { skipped: string };

/** Runs `test` as the check `name`; an exception it throws fails the check with its message. */
export function check(name: string, test: () => Outcome): EvidenceCheck {
  try {
    return toCheck(name, test());
  } catch (error) {
    return { name, status: "failed", reason: (error as Error).message };
  }
}

/** {@link check} for a test that must wait (on a provider, on a hash function). */
export async function checkAsync(name: string, test: () => Promise<Outcome>): Promise<EvidenceCheck> {
  try {
    return toCheck(name, await test());
  } catch (error) {
    return { name, status: "failed", reason: (error as Error).message };
  }
}

/** The failed checks of `checks`. */
export function failedChecks(checks: readonly EvidenceCheck[]): EvidenceCheck[] {
  return checks.filter((result) => result.status === "failed");
}

/** Whether `a` and `b` name the same address or hash (case-insensitive hex). */
export function sameHex(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

/** The first 10 characters of a hash, for names that stay readable. */
export function short(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 10)}…` : hash;
}

function toCheck(name: string, outcome: Outcome): EvidenceCheck {
  if (outcome === undefined) return { name, status: "passed" };
  if (typeof outcome === "string") return { name, status: "failed", reason: outcome };
  return { name, status: "skipped", reason: outcome.skipped };
}
