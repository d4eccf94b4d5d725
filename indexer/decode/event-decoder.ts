import type { EventFragment, ParamType } from "ethers";
import type { JsonValue } from "./decoder";

/**
 * A decoder compiled from one ABI event fragment. It reads the ABI encoding straight from the bytes into the JSON
 * the index stores (integers as decimal strings, addresses lower-cased, structs as objects), with none of the
 * intermediate objects, checksummed addresses and per-call type walks of a general-purpose decoder: at 100k events
 * that is most of the indexer's time. It is strict: a word that is not a valid encoding of its type (dirty
 * padding, an out-of-range integer, a bool other than 0 or 1, an offset outside the data, invalid UTF-8) throws.
 */
export interface EventDecoder {
  readonly name: string;
  /** The decoded arguments by name, in the fragment's order; throws `AbiDecodingError` on malformed input. */
  decode(topics: readonly string[], data: string): Record<string, JsonValue>;
}

/** Why a log's topics or data are not an encoding of its event. */
export class AbiDecodingError extends Error {
  override readonly name = "AbiDecodingError";
}

const WORD = 32;

/** Reads one ABI type at a position of the bytes. */
interface TypeReader {
  /** Whether the type is encoded out of line (through an offset in its enclosing tuple's head). */
  readonly dynamic: boolean;
  /** The bytes the type takes in its enclosing head: one word if dynamic, its full size if static. */
  readonly headSize: number;
  /** Decodes the value that starts at `position` (for a dynamic type, the start of its tail). */
  read(bytes: Buffer, position: number): JsonValue;
}

/** Compiles `fragment`; throws for a type the ABI specification does not define. */
export function compileEventDecoder(fragment: EventFragment): EventDecoder {
  const firstTopic = fragment.anonymous ? 0 : 1;
  const topicReaders = fragment.inputs.filter((input) => input.indexed).map(topicReader);
  const dataReader = tupleReader(fragment.inputs.filter((input) => !input.indexed).map(typeReader));
  const expectedTopics = firstTopic + topicReaders.length;
  return {
    name: fragment.name,
    decode(topics, data) {
      if (topics.length !== expectedTopics)
        throw new AbiDecodingError(`${fragment.name} has ${expectedTopics} topics, the log ${topics.length}`);
      const fromData = dataReader.read(bytesOf(data, "data"), 0) as JsonValue[];
      const args: Record<string, JsonValue> = {};
      let topic = 0;
      let field = 0;
      for (const input of fragment.inputs) {
        args[input.name] = input.indexed ? topicReaders[topic](topics[firstTopic + topic++]) : fromData[field++];
      }
      return args;
    },
  };
}

/** An indexed parameter: a static value is its topic word; a dynamic one only its keccak hash, kept as hex. */
function topicReader(input: ParamType): (topic: string) => JsonValue {
  const reader = typeReader(input);
  return (topic) => {
    const bytes = bytesOf(topic, "topic");
    if (bytes.length !== WORD) throw new AbiDecodingError(`a topic of ${bytes.length} bytes`);
    return reader.dynamic ? topic.toLowerCase() : reader.read(bytes, 0);
  };
}

function bytesOf(hex: string, what: string): Buffer {
  const bytes = Buffer.from(hex.slice(2), "hex");
  if (!hex.startsWith("0x") || bytes.length * 2 !== hex.length - 2)
    throw new AbiDecodingError(`the log's ${what} is not hexadecimal bytes`);
  return bytes;
}

function typeReader(type: ParamType): TypeReader {
  if (type.isTuple()) return namedTupleReader(type.components);
  if (type.isArray()) return arrayReader(type.arrayChildren, type.arrayLength);
  const base = type.baseType;
  const integer = /^(u?)int(\d*)$/.exec(base);
  if (integer) return integerReader(integer[1] === "u", Number(integer[2] || 256));
  const fixedBytes = /^bytes(\d+)$/.exec(base);
  if (fixedBytes) return fixedBytesReader(Number(fixedBytes[1]));
  switch (base) {
    case "address":
      return staticReader(addressOf);
    case "bool":
      return staticReader(boolOf);
    case "function":
      return fixedBytesReader(24);
    case "bytes":
      return dynamicReader((bytes, start, length) => "0x" + bytes.toString("hex", start, start + length));
    case "string":
      return dynamicReader(utf8Of);
    default:
      throw new Error(`the ABI type ${type.format()} has no decoder`);
  }
}

function staticReader(read: (bytes: Buffer, position: number) => JsonValue): TypeReader {
  return { dynamic: false, headSize: WORD, read: (bytes, position) => read(bytes, wordAt(bytes, position)) };
}

/** The position of the word at `position`, checked to lie within the bytes. */
function wordAt(bytes: Buffer, position: number): number {
  if (position + WORD > bytes.length)
    throw new AbiDecodingError(`a word at byte ${position} is past the end of ${bytes.length} bytes`);
  return position;
}

/** Throws unless bytes [from, to) are zero: the padding of a value narrower than a word. */
function requireZero(bytes: Buffer, from: number, to: number, what: string): void {
  for (let index = from; index < to; index++)
    if (bytes[index] !== 0) throw new AbiDecodingError(`${what} has non-zero padding`);
}

const SAFE_BYTES = 6; // 48 bits: read as a JavaScript number, exactly

function integerReader(unsigned: boolean, bits: number): TypeReader {
  const bytesWide = bits / 8;
  if (unsigned && bytesWide <= SAFE_BYTES) {
    return staticReader((bytes, position) => {
      requireZero(bytes, position, position + WORD - bytesWide, `a uint${bits}`);
      return String(bytes.readUIntBE(position + WORD - bytesWide, bytesWide));
    });
  }
  const limit = 1n << BigInt(unsigned ? bits : bits - 1);
  return staticReader((bytes, position) => {
    let value = BigInt("0x" + bytes.toString("hex", position, position + WORD));
    if (!unsigned && value >= 1n << 255n) value -= 1n << 256n;
    if (value >= limit || value < (unsigned ? 0n : -limit))
      throw new AbiDecodingError(`${value} is out of range for ${unsigned ? "u" : ""}int${bits}`);
    return value.toString();
  });
}

function addressOf(bytes: Buffer, position: number): string {
  requireZero(bytes, position, position + 12, "an address");
  return "0x" + bytes.toString("hex", position + 12, position + WORD);
}

function boolOf(bytes: Buffer, position: number): boolean {
  requireZero(bytes, position, position + WORD - 1, "a bool");
  const last = bytes[position + WORD - 1];
  if (last > 1) throw new AbiDecodingError(`a bool encoded as ${last}`);
  return last === 1;
}

function fixedBytesReader(size: number): TypeReader {
  return staticReader((bytes, position) => {
    requireZero(bytes, position + size, position + WORD, `a bytes${size}`);
    return "0x" + bytes.toString("hex", position, position + size);
  });
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function utf8Of(bytes: Buffer, start: number, length: number): string {
  try {
    return UTF8.decode(bytes.subarray(start, start + length));
  } catch {
    throw new AbiDecodingError("a string that is not valid UTF-8");
  }
}

/** `bytes` or `string`: a length word, then that many bytes. */
function dynamicReader(read: (bytes: Buffer, start: number, length: number) => JsonValue): TypeReader {
  return {
    dynamic: true,
    headSize: WORD,
    read(bytes, position) {
      const length = lengthAt(bytes, position);
      const start = position + WORD;
      if (start + length > bytes.length)
        throw new AbiDecodingError(`${length} bytes at byte ${start} run past the end of ${bytes.length}`);
      return read(bytes, start, length);
    },
  };
}

/** A length or an offset: a word that must fit the data it points into. */
function lengthAt(bytes: Buffer, position: number): number {
  wordAt(bytes, position);
  requireZero(bytes, position, position + WORD - SAFE_BYTES, "a length or offset");
  const value = bytes.readUIntBE(position + WORD - SAFE_BYTES, SAFE_BYTES);
  if (value > bytes.length) throw new AbiDecodingError(`a length or offset of ${value} in ${bytes.length} bytes`);
  return value;
}

/** A sequence of values laid out as one tuple: heads in order, dynamic values through offsets from its start. */
function tupleReader(elements: readonly TypeReader[]): TypeReader {
  const dynamic = elements.some((element) => element.dynamic);
  const headSize = dynamic ? WORD : elements.reduce((sum, element) => sum + element.headSize, 0);
  return {
    dynamic,
    headSize,
    read(bytes, position) {
      const values = new Array<JsonValue>(elements.length);
      let head = position;
      for (let index = 0; index < elements.length; index++) {
        const element = elements[index];
        values[index] = element.dynamic
          ? element.read(bytes, position + lengthAt(bytes, head))
          : element.read(bytes, head);
        head += element.headSize;
      }
      return values;
    },
  };
}

function namedTupleReader(components: readonly ParamType[]): TypeReader {
  const names = components.map((component) => component.name);
  const tuple = tupleReader(components.map(typeReader));
  return {
    ...tuple,
    read(bytes, position) {
      const values = tuple.read(bytes, position) as JsonValue[];
      const object: Record<string, JsonValue> = {};
      names.forEach((name, index) => (object[name] = values[index]));
      return object;
    },
  };
}

/** `T[length]`, or `T[]` (a length word, then the elements as a tuple) when `length` is -1. */
function arrayReader(children: ParamType, length: number): TypeReader {
  const child = typeReader(children);
  if (length >= 0) return tupleReader(new Array<TypeReader>(length).fill(child));
  return {
    dynamic: true,
    headSize: WORD,
    read(bytes, position) {
      const count = lengthAt(bytes, position);
      return tupleReader(new Array<TypeReader>(count).fill(child)).read(bytes, position + WORD);
    },
  };
}
