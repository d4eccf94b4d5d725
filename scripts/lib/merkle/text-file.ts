/** Writing large generated text files without holding them in memory. */
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** Pieces are joined into chunks of about this many characters before they are written. */
const CHUNK_CHARACTERS = 1 << 20;

/**
 * Writes the concatenation of `pieces` to `path` (UTF-8), pulling pieces only as fast as the file takes them, so
 * only one chunk is in memory at a time.
 */
export async function writeTextFile(path: string, pieces: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(chunksOf(pieces), { objectMode: false }), createWriteStream(path));
}

function* chunksOf(pieces: Iterable<string>): Generator<string> {
  let chunk: string[] = [];
  let characters = 0;
  for (const piece of pieces) {
    chunk.push(piece);
    characters += piece.length;
    if (characters >= CHUNK_CHARACTERS) {
      yield chunk.join("");
      chunk = [];
      characters = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join("");
}
