/**
 * Whole results of read queries, kept for the version of the index they were computed at. Everything a query
 * over the index answers is a function of the indexed rows, and the indexer commits every change of them with a
 * new checkpoint; the session statement of each request reads that version (see `IndexedState`), so a result
 * computed at the same version, for the same viewer, document and variables is exactly the result to compute
 * again. A new version empties the cache: nothing is ever served stale.
 *
 * The session and the limits are still checked and the operation is still audited on every request: only the
 * execution is skipped. Operations that read anything but the index (the audit log, the chain head seen by the
 * in-process indexer) and results with errors are never kept. Each result keeps the JSON text it was sent as, so a
 * hit is not serialized again. Bounded by twice the bytes of the results' JSON (the object and the text), least
 * recently used first out.
 */
import { getOperationAST, Kind } from "graphql";
import type { DocumentNode, ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Session } from "../auth";
import { byteLength } from "./result-json";

/** Root fields whose answers depend on the indexed rows (and the viewer) only. */
const INDEX_ONLY_ROOT_FIELDS = new Set([
  "__typename",
  "viewer",
  "organization",
  "organizations",
  "dataSource",
  "dataSources",
  "attestation",
  "attestations",
  "accessRequest",
  "accessRequests",
  "deliveries",
  "events",
  "caseTrail",
  "verifyRecord",
  "stats",
]);

export interface ResponseCacheOptions {
  /** Bytes of results' JSON kept at most; 0 turns the cache off. */
  maxBytes: number;
  sessionOf(request: Request): Session | null;
}

interface Entry {
  result: ExecutionResult;
  bytes: number;
}

/** The plugin; place it after the limits, so a refused operation never reaches it. */
export function useResponseCache(options: ResponseCacheOptions): Plugin {
  const cache = createResultCache(options.maxBytes);
  const keyOf = documentKeys();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (options.maxBytes === 0 || !isIndexOnlyQuery(args.document, args.operationName)) return;
      const session = options.sessionOf((args.contextValue as { request: Request }).request);
      if (session === null) return;
      const key = [
        viewerKey(session),
        keyOf(args.document),
        args.operationName ?? "",
        JSON.stringify(args.variableValues ?? {}),
      ].join("\n");
      const cached = cache.get(session.indexVersion, key);
      if (cached) {
        setResultAndStopExecution(cached);
        return;
      }
      return {
        onExecuteDone({ result }) {
          const single = result as ExecutionResult;
          if (Symbol.asyncIterator in single || single.errors) return;
          cache.set(session.indexVersion, key, single);
        },
      };
    },
  };
}

/** Results by key, all of one index version; a different version starts it afresh. */
function createResultCache(maxBytes: number) {
  let version = "";
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const clear = (newVersion: string) => {
    version = newVersion;
    entries.clear();
    bytes = 0;
  };
  return {
    get(atVersion: string, key: string): ExecutionResult | undefined {
      if (atVersion !== version) return undefined;
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.result;
    },
    set(atVersion: string, key: string, result: ExecutionResult): void {
      if (atVersion !== version) clear(atVersion);
      // The result object and its JSON text (kept to send it again, see result-json.ts): about twice the JSON.
      const size = 2 * byteLength(result);
      if (size > maxBytes || entries.has(key)) return;
      entries.set(key, { result, bytes: size });
      bytes += size;
      for (const [oldest, entry] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(oldest);
        bytes -= entry.bytes;
      }
    },
  };
}

/** Who the result was computed for: results of one viewer are never served to another. */
function viewerKey({ viewer }: Session): string {
  return viewer.kind === "member" ? `member:${viewer.account}` : viewer.kind;
}

/** A number per parsed document (Yoga hands out one document object per query text). */
function documentKeys(): (document: DocumentNode) => number {
  const keys = new WeakMap<DocumentNode, number>();
  let next = 0;
  return (document) => {
    let key = keys.get(document);
    if (key === undefined) {
      key = next++;
      keys.set(document, key);
    }
    return key;
  };
}

/** A query whose root selections are all fields that read the index only (fragments at the root are not looked into). */
function isIndexOnlyQuery(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== "query") return false;
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && INDEX_ONLY_ROOT_FIELDS.has(selection.name.value),
  );
}
