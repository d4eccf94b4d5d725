/**
 * Parameterized SQL pieces: every value a caller sends becomes a `$n` parameter with an explicit type, never
 * text spliced into a statement. The casts let PostgreSQL and PGlite infer the same types for the same SQL.
 */
import { badUserInput } from "../errors";

/** The column types the API filters and sorts on. */
export type SqlType = "bigint" | "integer" | "text" | "timestamptz" | "boolean";

/** Collects a statement's parameters; `add` returns the typed placeholder to write in its place. */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown, type: SqlType): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }

  /** An array parameter, compared with `= ANY(...)`. */
  addList(values: readonly unknown[], type: SqlType): string {
    this.values.push(values);
    return `$${this.values.length}::${type}[]`;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether a decimal string fits the database's bigint. */
export function isInt64(value: string): boolean {
  const number = BigInt(value);
  return number >= INT64_MIN && number <= INT64_MAX;
}

/** A BigInt argument as an int64 parameter: a larger value matches nothing, but is a mistake worth naming. */
export function int64(value: string): string {
  if (!isInt64(value)) throw badUserInput(`${value} is outside the 64-bit range of ids`);
  return value;
}

/** `BigIntFilter` of the SDL. */
export interface BigIntFilter {
  eq?: string | null;
  in?: string[] | null;
  gte?: string | null;
  lte?: string | null;
}

/** `DateTimeFilter` of the SDL. */
export interface DateTimeFilter {
  gte?: Date | null;
  lte?: Date | null;
}

/** `StringFilter` of the SDL. */
export interface StringFilter {
  eq?: string | null;
  in?: string[] | null;
  contains?: string | null;
}

/**
 * How one field of a `where` input becomes conditions on `sql`, an expression over the listed rows:
 * - `bigint`: a BigIntFilter on an integer column;
 * - `time`: a DateTimeFilter on a timestamptz expression;
 * - `string`: a StringFilter (contains ignores case);
 * - `oneOf`: a list of values, any of which matches;
 * - `equals`: one value;
 * - `anyOfConditions`: a list of enum values, each with its own condition (from the server, never from the
 *   caller's text), any of which matches.
 */
export type FieldFilter =
  | { kind: "bigint"; sql: string }
  | { kind: "time"; sql: string }
  | { kind: "string"; sql: string }
  | { kind: "oneOf"; sql: string; type: SqlType }
  | { kind: "equals"; sql: string; type: SqlType }
  | { kind: "anyOfConditions"; conditionOf: (value: string) => string };

/** The conditions one filter value puts on its field. */
function conditionsOf(filter: FieldFilter, value: unknown, params: SqlParameters): string[] {
  if (filter.kind === "anyOfConditions") return [anyOf((value as string[]).map(filter.conditionOf))];
  const { sql } = filter;
  switch (filter.kind) {
    case "bigint": {
      const { eq, in: among, gte, lte } = value as BigIntFilter;
      return [
        eq != null && `${sql} = ${params.add(int64(eq), "bigint")}`,
        among != null && `${sql} = ANY(${params.addList(among.map(int64), "bigint")})`,
        gte != null && `${sql} >= ${params.add(int64(gte), "bigint")}`,
        lte != null && `${sql} <= ${params.add(int64(lte), "bigint")}`,
      ].filter((condition): condition is string => condition !== false);
    }
    case "time": {
      const { gte, lte } = value as DateTimeFilter;
      return [
        gte != null && `${sql} >= ${params.add(gte.toISOString(), "timestamptz")}`,
        lte != null && `${sql} <= ${params.add(lte.toISOString(), "timestamptz")}`,
      ].filter((condition): condition is string => condition !== false);
    }
    case "string": {
      const { eq, in: among, contains } = value as StringFilter;
      return [
        eq != null && `${sql} = ${params.add(eq, "text")}`,
        among != null && `${sql} = ANY(${params.addList(among, "text")})`,
        contains != null && `strpos(lower(${sql}), lower(${params.add(contains, "text")})) > 0`,
      ].filter((condition): condition is string => condition !== false);
    }
    case "oneOf":
      return [`${sql} = ANY(${params.addList(value as unknown[], filter.type)})`];
    case "equals":
      return [`${sql} = ${params.add(value, filter.type)}`];
  }
}

/** The filters of a list, by the name of the `where` field each serves. */
export type WhereFilters = Record<string, FieldFilter>;

/** The conditions of a `where` input (all must hold); fields left out or null put none. */
export function whereConditions(filters: WhereFilters, where: object | null | undefined, params: SqlParameters) {
  return Object.entries(where ?? {})
    .filter(([, value]) => value != null)
    .flatMap(([field, value]) => {
      const filter = filters[field];
      if (!filter) throw new Error(`no filter is declared for where.${field}`);
      return conditionsOf(filter, value, params);
    });
}

/** Joins conditions with OR; no condition is `false`. */
function anyOf(conditions: readonly string[]): string {
  return conditions.length === 0 ? "false" : conditions.map((condition) => `(${condition})`).join(" OR ");
}

/** Joins conditions with AND; no condition is `true`. */
export function allOf(conditions: readonly string[]): string {
  return conditions.length === 0 ? "true" : conditions.map((condition) => `(${condition})`).join(" AND ");
}
