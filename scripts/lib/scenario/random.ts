/**
 * Seeded draws: the same seed gives the same scenario, record for record. Each concern draws from its own stream
 * (`stream(seed, "call-records")`), so changing how many records one source gets leaves every other source alone.
 */

/** A deterministic source of draws. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number from `min` to `max`, both included. */
  between(min: number, max: number): number;
  /** Whether an event of probability `probability` happens. */
  chance(probability: number): boolean;
  /** One of `items`, each as likely. */
  pick<T>(items: readonly T[]): T;
  /** `length` decimal digits, leading zeros allowed. */
  digits(length: number): string;
}

/** The draws of stream `label` under `seed`. */
export function stream(seed: number, label: string): Random {
  const next = mulberry32(fnv1a(`${seed}:${label}`));
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    between,
    chance: (probability) => next() < probability,
    pick: (items) => items[between(0, items.length - 1)],
    digits: (length) => Array.from({ length }, () => String(between(0, 9))).join(""),
  };
}

/** Mulberry32: a small, fast 32-bit generator, plenty for synthetic records (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a over the UTF-16 code units of `text`: turns a seed and a label into a 32-bit stream seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let position = 0; position < text.length; position++) {
    hash ^= text.charCodeAt(position);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
