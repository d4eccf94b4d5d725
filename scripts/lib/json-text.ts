/** JSON text of values that may hold bigints (token amounts, ids, timestamps): bigints become decimal strings. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item), indent);
}
