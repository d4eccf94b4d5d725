/** Reading a bench's command-line options. */

/** `value` as a whole number ≥ 1 (`fallback` when absent); an error naming `--<name>` otherwise. */
export function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive whole number`);
  return Number(value);
}
