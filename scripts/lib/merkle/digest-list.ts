/** Record digests packed back to back in one growing byte array: 32 bytes a record, no object per record. */
import { HASH_LENGTH } from "./keccak";

const INITIAL_CAPACITY = 1024;

/** Digests appended one at a time, for batches whose size is not known in advance. */
export class DigestList {
  private bytes = new Uint8Array(INITIAL_CAPACITY * HASH_LENGTH);
  private count = 0;

  /** How many digests were appended. */
  get length(): number {
    return this.count;
  }

  /** Appends a copy of a 32-byte digest. */
  append(digest: Uint8Array): void {
    if ((this.count + 1) * HASH_LENGTH > this.bytes.length) this.grow();
    this.bytes.set(digest, this.count * HASH_LENGTH);
    this.count += 1;
  }

  /** The digests appended so far, `length` × 32 bytes (a view, not a copy). */
  packed(): Uint8Array {
    return this.bytes.subarray(0, this.count * HASH_LENGTH);
  }

  private grow(): void {
    const larger = new Uint8Array(this.bytes.length * 2);
    larger.set(this.bytes);
    this.bytes = larger;
  }
}
