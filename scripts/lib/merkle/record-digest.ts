/**
 * A record's digest, the second half of its leaf: keccak256 of the UTF-8 bytes of the record's RFC 8785 canonical
 * JSON (DESIGN.md, "Wire formats").
 */
import { CanonicalJsonError, canonicalJson } from "./canonical-json";
import { DigestList } from "./digest-list";
import { toHex32 } from "./hex";
import { loadKeccak256 } from "./keccak";

/** Digests records synchronously, once its hasher is loaded. */
export interface RecordDigester {
  /** The 32-byte digest of `record`; throws a `CanonicalJsonError` for a value that is not plain JSON data. */
  digest(record: unknown): Uint8Array;
}

/** A {@link RecordDigester} on the shared keccak256 hasher. */
export async function createRecordDigester(): Promise<RecordDigester> {
  const keccak = await loadKeccak256();
  // hash-wasm hashes a string as its UTF-8 bytes; canonicalJson has refused lone surrogates, the one case where
  // UTF-8 encoding would have changed the text.
  return { digest: (record) => keccak.hash(canonicalJson(record)) };
}

/** The digest of one record, as 0x-hex (the `bytes32` a contract call or a proofs file carries). */
export async function recordDigestHex(record: unknown): Promise<string> {
  return toHex32((await createRecordDigester()).digest(record));
}

/**
 * The digests of a batch's records in order, packed 32 bytes a record, ready for `buildRecordTree`.
 * @throws CanonicalJsonError naming the record (`records[5].duration: …`) that is not plain JSON data.
 */
export async function digestRecords(records: Iterable<unknown> | AsyncIterable<unknown>): Promise<Uint8Array> {
  const digester = await createRecordDigester();
  const digests = new DigestList();
  for await (const record of records) {
    try {
      digests.append(digester.digest(record));
    } catch (error) {
      throw error instanceof CanonicalJsonError ? error.inRecord(digests.length) : error;
    }
  }
  return digests.packed();
}
