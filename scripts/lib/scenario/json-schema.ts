/**
 * Small builders of the JSON Schemas (draft 2020-12) the scenario's sources register: each record is an object
 * whose every listed field is required and nothing else is allowed, as a holder's export format would pin it.
 */
import type { Json } from "../merkle";

/** A JSON Schema, as plain JSON. */
export type JsonSchema = { [keyword: string]: Json };

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** The schema of a record: an object with exactly `fields`, all required. */
export function recordSchema(id: string, title: string, description: string, fields: Record<string, JsonSchema>) {
  return {
    $schema: DRAFT,
    $id: id,
    title,
    description,
    type: "object",
    properties: fields,
    required: Object.keys(fields),
    additionalProperties: false,
  } satisfies JsonSchema;
}

/** A string field, optionally matching `pattern`. */
export function text(description: string, pattern?: string): JsonSchema {
  return pattern === undefined ? { type: "string", description } : { type: "string", description, pattern };
}

/** One of `values`. */
export function oneOf(description: string, values: readonly string[]): JsonSchema {
  return { type: "string", description, enum: [...values] };
}

/** A whole number from `minimum` to `maximum`. */
export function integer(description: string, minimum: number, maximum?: number): JsonSchema {
  return maximum === undefined
    ? { type: "integer", description, minimum }
    : { type: "integer", description, minimum, maximum };
}

/** A number from `minimum` to `maximum`. */
export function decimal(description: string, minimum: number, maximum: number): JsonSchema {
  return { type: "number", description, minimum, maximum };
}

/** An instant, RFC 3339 in UTC. */
export function instant(description: string): JsonSchema {
  return { type: "string", description, format: "date-time" };
}

/** A calendar date, `YYYY-MM-DD`. */
export function date(description: string): JsonSchema {
  return { type: "string", description, format: "date" };
}

/** A yes-or-no field. */
export function flag(description: string): JsonSchema {
  return { type: "boolean", description };
}

/** `schema`, or null where the field does not apply. */
export function nullable(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, { type: "null" }] };
}

/** Field patterns shared by several sources. */
export const PATTERNS = {
  msisdn: "^\\+86[0-9]{11}$",
  imsi: "^460[0-9]{12}$",
  imei: "^[0-9]{15}$",
  iban: "^[A-Z]{2}[0-9]{2}[0-9]{20}$",
  amount: "^[0-9]+\\.[0-9]{2}$",
} as const;
