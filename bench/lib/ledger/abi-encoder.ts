/**
 * ABI encoding of events into topics and data, compiled once per event fragment: ethers' general encoder takes
 * ~300 µs an event on the bench machines, which would make the fill of 1.8M events a quarter of an hour of
 * encoding. It covers the types the suite's events use (uintN, address, bool, bytesN, string, tuples of them)
 * and refuses any other; the indexer's strict decoder reads every log back, so a wrong word cannot slip through.
 */
import type { EventFragment, ParamType } from "ethers";

/** One ABI type's encoder, in hex without `0x`. */
interface TypeEncoder {
  /** Whether the type is encoded out of line, through an offset in its enclosing head. */
  dynamic: boolean;
  /** The bytes it takes in its enclosing head: 32 if dynamic, its whole encoding if static. */
  headSize: number;
  encode(value: unknown): string;
}

/** An event's encoder: its arguments in ABI order to the log's topics and data. */
export type EventEncoder = (values: readonly unknown[]) => { topics: string[]; data: string };

/** Compiles `fragment`'s encoder; throws for a type it does not cover, or an indexed dynamic type. */
export function compileEventEncoder(fragment: EventFragment): EventEncoder {
  const inputs = fragment.inputs.map((input) => ({ indexed: input.indexed === true, encoder: typeEncoder(input) }));
  if (inputs.some(({ indexed, encoder }) => indexed && encoder.dynamic)) {
    throw new Error(`${fragment.name} indexes a dynamic type, which the bench's encoder does not hash`);
  }
  const data = tupleEncoder(inputs.filter(({ indexed }) => !indexed).map(({ encoder }) => encoder));
  const firstTopic = fragment.anonymous ? [] : [fragment.topicHash];
  return (values) => {
    if (values.length !== inputs.length) throw new Error(`${fragment.name} takes ${inputs.length} arguments`);
    const topics = [...firstTopic];
    const dataValues: unknown[] = [];
    inputs.forEach(({ indexed, encoder }, index) => {
      if (indexed) topics.push(`0x${encoder.encode(values[index])}`);
      else dataValues.push(values[index]);
    });
    return { topics, data: `0x${data.encode(dataValues)}` };
  };
}

function typeEncoder(param: ParamType): TypeEncoder {
  if (param.baseType === "tuple") return tupleEncoder(param.components!.map(typeEncoder));
  if (param.type === "string") return { dynamic: true, headSize: 32, encode: encodeString };
  if (param.type === "address") return staticEncoder(encodeAddress);
  if (param.type === "bool") return staticEncoder((value) => word(value ? 1n : 0n));
  const uint = /^uint(\d+)$/.exec(param.type);
  if (uint) return staticEncoder((value) => encodeUint(value, Number(uint[1])));
  const bytes = /^bytes(\d+)$/.exec(param.type);
  if (bytes) return staticEncoder(fixedBytesEncoder(Number(bytes[1])));
  throw new Error(`the bench's ABI encoder does not cover ${param.type}`);
}

function staticEncoder(encode: (value: unknown) => string): TypeEncoder {
  return { dynamic: false, headSize: 32, encode };
}

/** Heads in order, each dynamic part's head the offset of its tail from the tuple's start. */
function tupleEncoder(parts: TypeEncoder[]): TypeEncoder {
  const headSize = parts.reduce((sum, part) => sum + part.headSize, 0);
  const dynamic = parts.some((part) => part.dynamic);
  return {
    dynamic,
    headSize: dynamic ? 32 : headSize,
    encode(value) {
      const values = value as readonly unknown[];
      let head = "";
      let tail = "";
      parts.forEach((part, index) => {
        const encoded = part.encode(values[index]);
        if (!part.dynamic) {
          head += encoded;
          return;
        }
        head += word(BigInt(headSize + tail.length / 2));
        tail += encoded;
      });
      return head + tail;
    },
  };
}

/** An unsigned integer as one word, in hex without `0x`. */
export function word(value: bigint | number): string {
  return value.toString(16).padStart(64, "0");
}

function encodeUint(value: unknown, bits: number): string {
  const number = BigInt(value as number | bigint | string);
  if (number < 0n || number >= 1n << BigInt(bits)) throw new Error(`${number} is not a uint${bits}`);
  return word(number);
}

function encodeAddress(value: unknown): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw new Error(`${value} is not an address`);
  return value.slice(2).toLowerCase().padStart(64, "0");
}

function fixedBytesEncoder(size: number): (value: unknown) => string {
  const pattern = new RegExp(`^0x[0-9a-fA-F]{${size * 2}}$`);
  return (value) => {
    if (typeof value !== "string" || !pattern.test(value)) throw new Error(`${value} is not a bytes${size}`);
    return value.slice(2).toLowerCase().padEnd(64, "0");
  };
}

/** Its UTF-8 length, then its bytes padded to whole words. */
function encodeString(value: unknown): string {
  const bytes = Buffer.from(value as string, "utf8");
  const padded = Buffer.alloc(Math.ceil(bytes.length / 32) * 32);
  bytes.copy(padded);
  return word(BigInt(bytes.length)) + padded.toString("hex");
}
