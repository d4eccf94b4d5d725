/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for records: the text whose UTF-8 bytes a record's digest is taken
 * over. JCS serializes strings and numbers exactly as ECMAScript's `JSON.stringify` does, so those are delegated to
 * it; what JCS adds is done here: object members sorted by the UTF-16 code units of their names, no whitespace, and
 * a failure (rather than a silent change) for anything that is not plain JSON data.
 */

/** A plain JSON value: what a record is made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Thrown when a value has no canonical JSON form; `path` names where it is (`$` is the value itself). */
export class CanonicalJsonError extends TypeError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "CanonicalJsonError";
  }

  /** The same error with its path inside record `index` of a batch (`records[5].duration`). */
  inRecord(index: number): CanonicalJsonError {
    return new CanonicalJsonError(`records[${index}]${this.path.slice(1)}`, this.problem);
  }
}

/** Matches a UTF-16 surrogate that is not part of a pair (in `u` mode, a pair is one code point). */
const LONE_SURROGATE = /\p{Surrogate}/u;
/**
 * A string `JSON.stringify` would only put quotes around: no quote, backslash, control character or surrogate
 * (paired or not). Most of a record's strings are; they skip the general path.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this must find
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** Where the serializer is: the containers it is inside (for cycles) and the way down to the current value. */
interface Position {
  ancestors: Set<object>;
  /** Member names and array indexes from the top; written out as a path only when an error needs it. */
  steps: (string | number)[];
}

/**
 * The JCS text of `value`.
 * @throws CanonicalJsonError for NaN or ±Infinity, undefined, functions, symbols, bigints, strings with lone
 *   surrogates, sparse arrays, objects other than plain ones and arrays (Date, Map, Buffer, class instances…), and
 *   circular references.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, { ancestors: new Set(), steps: [] });
}

function serialize(value: unknown, position: Position): string {
  switch (typeof value) {
    case "string":
      return serializeString(value, position);
    case "number":
      if (!Number.isFinite(value)) throw failure(position, `the number ${value} has no JSON form`);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      return serializeContainer(value, position);
    case "bigint":
      throw failure(position, `the bigint ${value}n has no JSON form (write it as a string or a number)`);
    default:
      throw failure(position, `${describeType(value)} has no JSON form`);
  }
}

function serializeString(text: string, position: Position): string {
  if (PLAIN_STRING.test(text)) return `"${text}"`;
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const codeUnit = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    throw failure(position, `a lone surrogate U+${codeUnit} at offset ${surrogate.index} is not Unicode text`);
  }
  return JSON.stringify(text);
}

function serializeContainer(value: object, position: Position): string {
  if (position.ancestors.has(value)) throw failure(position, "a circular reference has no JSON form");
  position.ancestors.add(value);
  try {
    if (Array.isArray(value)) return serializeArray(value, position);
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (prototype !== Object.prototype && prototype !== null) {
      throw failure(position, `${describeType(value)} is not a plain object; convert it to JSON data first`);
    }
    return serializeObject(value as Record<string, unknown>, position);
  } finally {
    position.ancestors.delete(value);
  }
}

function serializeArray(items: unknown[], position: Position): string {
  const parts: string[] = [];
  for (let index = 0; index < items.length; index++) {
    position.steps.push(index);
    if (!(index in items)) throw failure(position, "a hole in a sparse array has no JSON form");
    parts.push(serialize(items[index], position));
    position.steps.pop();
  }
  return `[${parts.join(",")}]`;
}

function serializeObject(members: Record<string, unknown>, position: Position): string {
  if (Object.getOwnPropertySymbols(members).length > 0) {
    throw failure(position, "a member named by a symbol has no JSON form");
  }
  // The default sort compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 prescribes.
  const names = Object.keys(members).sort();
  const parts: string[] = [];
  for (const name of names) {
    position.steps.push(name);
    parts.push(`${serializeString(name, position)}:${serialize(members[name], position)}`);
    position.steps.pop();
  }
  return `{${parts.join(",")}}`;
}

/** The error for the value at `position`, with its path written out: `$.calls[3].duration`. */
function failure(position: Position, problem: string): CanonicalJsonError {
  const path = position.steps.map((step) => (typeof step === "number" ? `[${step}]` : memberAccessor(step))).join("");
  return new CanonicalJsonError(`$${path}`, problem);
}

/** `.name` when the name reads as an identifier, `["name"]` otherwise. */
function memberAccessor(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function describeType(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  const constructorName = (value as { constructor?: { name?: string } }).constructor?.name;
  return constructorName ? `a ${constructorName}` : "an object without a prototype";
}
