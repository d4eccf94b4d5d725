/** Comparing what a bundle claims with what a log or a calldata decodes to, naming the first field that differs. */
import { sameHex } from "./checks";
import type { PlainValue } from "./suite-events";

/**
 * The first of `claimed`'s fields that `actual` does not hold, as a reason naming it by its path (`the log's
 * request.caseRef is …, but the bundle says …`); undefined when every claimed field matches. Hex compares
 * case-insensitively; `source` names where `actual` comes from.
 */
export function firstDifference(
  claimed: Record<string, PlainValue>,
  actual: Record<string, PlainValue>,
  source: string,
  path = "",
): string | undefined {
  for (const [name, value] of Object.entries(claimed)) {
    const where = `${path}${name}`;
    const found = actual[name];
    if (isObject(value)) {
      const nested = isObject(found)
        ? firstDifference(value, found, source, `${where}.`)
        : `the ${source} has no ${where}`;
      if (nested) return nested;
    } else if (!sameValue(value, found)) {
      return `the ${source}'s ${where} is ${JSON.stringify(found)}, but the bundle says ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

function isObject(value: PlainValue | undefined): value is { [name: string]: PlainValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameValue(claimed: PlainValue, found: PlainValue | undefined): boolean {
  if (typeof claimed === "string" && typeof found === "string" && claimed.startsWith("0x")) {
    return sameHex(claimed, found);
  }
  return JSON.stringify(claimed) === JSON.stringify(found);
}
