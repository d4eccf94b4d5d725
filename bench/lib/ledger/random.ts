/** Seeded draws, so the same options fill the same ledger on every run. */
import { mulberry32 } from "../../../test/helpers/fault-proxy";

export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** Whether an event of probability `p` happens. */
  chance(p: number): boolean;
  /** A whole number from `min` to `max`, both included. */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    chance: (p) => next() < p,
    between,
    pick: (items) => items[between(0, items.length - 1)],
  };
}
