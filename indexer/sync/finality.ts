/** When a block stops being doubtful: at once (QBFT/IBFT) or after some confirmations (Clique, PoW-style). */
export type Finality = { kind: "instant" } | { kind: "confirmations"; depth: number };

/** Blocks of doubt under `finality`. */
export function confirmationsOf(finality: Finality): number {
  return finality.kind === "instant" ? 0 : finality.depth;
}

/** The highest final block once `head` is seen, never moving backwards from `previous`. */
export function finalizedBlockAt(finality: Finality, head: number, indexedUpTo: number, previous: number): number {
  return Math.max(previous, Math.min(indexedUpTo, head - confirmationsOf(finality)));
}
