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
 * The JCS text of `value`.
 * @throws CanonicalJsonError for NaN or ±Infinity, undefined, functions, symbols, bigints, strings with lone
 *   surrogates, sparse arrays, objects other than plain ones and arrays (Date, Map, Buffer, class instances…), and
 *   circular references.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, "$", new Set());
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case "string":
      return serializeString(value, path);
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `the number ${value} has no JSON form`);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      return serializeContainer(value, path, ancestors);
    case "bigint":
      throw new CanonicalJsonError(path, `the bigint ${value}n has no JSON form (write it as a string or a number)`);
    default:
      throw new CanonicalJsonError(path, `${describeType(value)} has no JSON form`);
  }
}

function serializeString(text: string, path: string): string {
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const codeUnit = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    throw new CanonicalJsonError(
      path,
      `a lone surrogate U+${codeUnit} at offset ${surrogate.index} is not Unicode text`,
    );
  }
  return JSON.stringify(text);
}

function serializeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError(path, "a circular reference has no JSON form");
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return serializeArray(value, path, ancestors);
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new CanonicalJsonError(path, `${describeType(value)} is not a plain object; convert it to JSON data first`);
    }
    return serializeObject(value as Record<string, unknown>, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function serializeArray(items: unknown[], path: string, ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let index = 0; index < items.length; index++) {
    const itemPath = `${path}[${index}]`;
    if (!(index in items)) throw new CanonicalJsonError(itemPath, "a hole in a sparse array has no JSON form");
    parts.push(serialize(items[index], itemPath, ancestors));
  }
  return `[${parts.join(",")}]`;
}

function serializeObject(members: Record<string, unknown>, path: string, ancestors: Set<object>): string {
  if (Object.getOwnPropertySymbols(members).length > 0) {
    throw new CanonicalJsonError(path, "a member named by a symbol has no JSON form");
  }
  // The default sort compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 prescribes.
  const names = Object.keys(members).sort();
  const parts = names.map((name) => {
    const memberPath = `${path}${memberAccessor(name)}`;
    return `${serializeString(name, memberPath)}:${serialize(members[name], memberPath, ancestors)}`;
  });
  return `{${parts.join(",")}}`;
}

/** `.name` when the name reads as an identifier, `["name"]` otherwise, for error paths. */
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
