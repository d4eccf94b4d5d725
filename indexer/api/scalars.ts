/**
 * The custom scalars. Values are normalized on the way in (lower-case hex, canonical decimal strings, Date
 * instants) so resolvers and SQL compare one spelling, and written one way on the way out.
 */
import { getAddress } from "ethers";
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from "graphql";
import type { ValueNode } from "graphql";

/** A scalar that reads values from variables and from literals with the same parser. */
function scalar<Internal>(
  name: string,
  parse: (value: unknown) => Internal,
  serialize: (value: unknown) => string,
  literalKinds: readonly Kind[] = [Kind.STRING],
): GraphQLScalarType<Internal, string> {
  return new GraphQLScalarType<Internal, string>({
    name,
    serialize,
    parseValue: parse,
    parseLiteral(node: ValueNode) {
      if (!literalKinds.includes(node.kind)) throw new GraphQLError(`${name} cannot be written as ${node.kind}`);
      return parse((node as { value: unknown }).value);
    },
  });
}

function invalid(name: string, value: unknown, expected: string): GraphQLError {
  return new GraphQLError(`${name} expects ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
}

const DECIMAL = /^-?\d+$/;

/** Integers travel as decimal strings: ids and block numbers are int64 in the database and exceed 2^53 in theory. */
function parseBigInt(value: unknown): string {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "string" && DECIMAL.test(value)) return BigInt(value).toString();
  throw invalid("BigInt", value, "an integer as a decimal string");
}

function serializeBigInt(value: unknown): string {
  if (typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value))) return String(value);
  if (typeof value === "string" && DECIMAL.test(value)) return value;
  throw invalid("BigInt", value, "an integer");
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;

function parseBytes(value: unknown): string {
  if (typeof value === "string" && HEX.test(value)) return value.toLowerCase();
  throw invalid("Bytes", value, "0x-prefixed hex with an even number of digits");
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Lower-case as the index stores accounts; a mixed-case (EIP-55) spelling must carry a valid checksum. */
function parseAddress(value: unknown): string {
  if (typeof value !== "string" || !ADDRESS.test(value)) throw invalid("Address", value, "a 20-byte 0x address");
  const digits = value.slice(2);
  const isMixedCase = digits !== digits.toLowerCase() && digits !== digits.toUpperCase();
  if (isMixedCase && getAddress(value.toLowerCase()) !== value) {
    throw invalid("Address", value, "a valid EIP-55 checksum in a mixed-case address");
  }
  return value.toLowerCase();
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with its offset: a time without a zone would mean different instants to different callers. */
function parseDateTime(value: unknown): Date {
  if (typeof value === "string" && ISO_INSTANT.test(value)) {
    const instant = new Date(value);
    if (!Number.isNaN(instant.getTime())) return instant;
  }
  throw invalid("DateTime", value, "an ISO-8601 instant with a time zone, e.g. 2024-01-31T12:00:00Z");
}

function serializeDateTime(value: unknown): string {
  const instant = value instanceof Date ? value : new Date(value as string);
  if (Number.isNaN(instant.getTime())) throw invalid("DateTime", value, "an instant");
  return instant.toISOString();
}

/** Hex read from the database is already lower-case; the check keeps a wrong column from leaking out. */
function serializeHex(name: string, pattern: RegExp) {
  return (value: unknown): string => {
    if (typeof value === "string" && pattern.test(value)) return value.toLowerCase();
    throw invalid(name, value, "hex");
  };
}

export const BigIntScalar = scalar("BigInt", parseBigInt, serializeBigInt, [Kind.STRING, Kind.INT]);
export const BytesScalar = scalar("Bytes", parseBytes, serializeHex("Bytes", HEX));
export const AddressScalar = scalar("Address", parseAddress, serializeHex("Address", ADDRESS));
export const DateTimeScalar = scalar("DateTime", parseDateTime, serializeDateTime);

/** Any JSON value, as decoded event arguments are. */
export const JsonScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => valueFromASTUntyped(node, variables),
});
