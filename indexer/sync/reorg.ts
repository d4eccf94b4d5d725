import type { BlockHeader, ChainReader } from "../chain";

/** A block both the database and the chain agree on. */
export interface CommonAncestor {
  number: number;
  hash: string;
}

/**
 * The highest block the stored headers and the canonical chain share, or null if none of the stored headers
 * reaches one. A stored header whose hash changed but whose parent did not places the ancestor just below it,
 * so stored headers may be sparse below the unfinalized range. Stored headers above the head are orphaned.
 */
export async function findCommonAncestor(
  reader: ChainReader,
  storedDescending: readonly BlockHeader[],
  head: number,
): Promise<CommonAncestor | null> {
  const candidates = storedDescending.filter((block) => block.number <= head);
  if (candidates.length === 0) return null;
  const canonical = await reader.headers(candidates.map((block) => block.number));
  for (const [index, stored] of candidates.entries()) {
    const current = canonical[index];
    if (current.hash === stored.hash) return { number: stored.number, hash: stored.hash };
    if (current.parentHash === stored.parentHash) return { number: stored.number - 1, hash: stored.parentHash };
  }
  return null;
}

/**
 * Why a freshly read range cannot be written: a log from another fork than its block's header, or headers that
 * do not link up (the chain moved while it was read). Null when the range is consistent.
 */
export function inconsistencyOf(
  headers: ReadonlyMap<number, BlockHeader>,
  logs: readonly { blockNumber: number; blockHash: string }[],
  previous: CommonAncestor | null,
): string | null {
  for (const log of logs) {
    if (headers.get(log.blockNumber)?.hash !== log.blockHash)
      return `a log of block ${log.blockNumber} is of another fork`;
  }
  for (const header of headers.values()) {
    const parent = header.number - 1 === previous?.number ? previous : headers.get(header.number - 1);
    if (parent && parent.hash !== header.parentHash)
      return `block ${header.number} does not link to block ${parent.number}`;
  }
  return null;
}
