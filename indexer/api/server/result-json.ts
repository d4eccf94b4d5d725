/**
 * A result's JSON, made once. The audit report measures a result's size from its JSON and Yoga then sends that
 * JSON: a result without errors carries it (`stringify`, which Yoga uses instead of `JSON.stringify` when a result
 * has one), so it is written once per result, and a cached result is never written again.
 */
import type { ExecutionResult } from "graphql";

const jsonOfResult = new WeakMap<ExecutionResult, string>();

/** The JSON text of `result`, made on the first call for this object. */
export function jsonOf(result: ExecutionResult): string {
  let json = jsonOfResult.get(result);
  if (json === undefined) {
    json = JSON.stringify(result);
    jsonOfResult.set(result, json);
  }
  return json;
}

/** Bytes of a result's JSON. */
export function byteLength(result: ExecutionResult): number {
  return Buffer.byteLength(jsonOf(result));
}

/**
 * Lets Yoga send `result` as {@link jsonOf} made it. Only a result without errors or extensions: Yoga rewrites
 * those (it strips internal error fields) before writing them, so they keep its own serializer.
 */
export function sendJsonOnce(result: ExecutionResult & { stringify?: () => string }): void {
  // A cached result is reported again on every hit: it already carries it.
  if (result.errors !== undefined || result.extensions !== undefined || result.stringify) return;
  result.stringify = () => jsonOf(result);
}
