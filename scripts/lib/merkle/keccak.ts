/**
 * keccak256 for the Merkle library: hash-wasm's WebAssembly Keccak, one hasher reused for every hash. For 64-byte
 * inputs (a leaf's ABI encoding, a node's pair of children) it was the fastest candidate on the project's machine,
 * measured twice with other work on both cores: 1.2–2.1 µs a hash, against 4.2–5.2 µs for the native `keccak`
 * binding that Hardhat brings (it loads, but its `squeeze` allocates a Buffer through N-API on every digest) and
 * 17–22 µs for ethers' `keccak256` (@noble/hashes, in JavaScript).
 */
import { createKeccak } from "hash-wasm";
import type { IHasher } from "hash-wasm";

/** Length in bytes of a keccak256 digest, and so of every node of a record tree. */
export const HASH_LENGTH = 32;

/** A synchronous keccak256 over bytes or UTF-8 text. Not reentrant: one hash at a time. */
export interface Keccak256 {
  /** keccak256 of `input` (a string is hashed as its UTF-8 bytes), as a new 32-byte array. */
  hash(input: Uint8Array | string): Uint8Array;
  /** keccak256 of `input`, written into `output` at `outputOffset`. */
  hashInto(input: Uint8Array | string, output: Uint8Array, outputOffset: number): void;
}

let loading: Promise<Keccak256> | undefined;

/** The shared keccak256 hasher; the WebAssembly module is compiled on the first call only. */
export function loadKeccak256(): Promise<Keccak256> {
  loading ??= createKeccak(256).then(wrapHasher);
  return loading;
}

function wrapHasher(hasher: IHasher): Keccak256 {
  const hash = (input: Uint8Array | string) => hasher.init().update(input).digest("binary");
  return {
    hash,
    hashInto: (input, output, outputOffset) => output.set(hash(input), outputOffset),
  };
}
