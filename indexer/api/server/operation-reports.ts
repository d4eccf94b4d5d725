/**
 * One report per GraphQL operation, whatever became of it (served, refused by a limit, failed): who asked, when,
 * which operation, hashes of the document and the variables, the result's size, how long it took and the error
 * codes returned. The audit log and the metrics both consume these reports.
 *
 * A query's report is made before its response is sent, and if recording it fails the client gets an error
 * instead of the data: nothing is served unaudited. A subscription's report is made when its stream ends (the
 * client left, or the server closed), covering everything the stream sent.
 */
import { createHash } from "node:crypto";
import { getOperationAST } from "graphql";
import type { DocumentNode, ExecutionResult } from "graphql";
import { isAsyncIterable, mapAsyncIterator } from "graphql-yoga";
import type { GraphQLParams, Plugin } from "graphql-yoga";
import type { Logger } from "../../ops";
import type { Session } from "../auth";
import { errorCodesOf, serverError } from "./errors";
import { byteLength, sendJsonOnce } from "./result-json";

export interface OperationReport {
  /** The session it ran in; null when the session was refused (nothing was served). */
  session: Session | null;
  servedAt: Date;
  operationName: string | null;
  /** "query", "mutation", "subscription", or "unknown" when its document did not parse. */
  operationType: string;
  /** SHA-256 (hex) of the document text. */
  documentHash: string;
  /** SHA-256 (hex) of the variables' JSON. */
  variablesHash: string;
  /** Bytes of the result's JSON (a subscription's: of every event sent). */
  resultBytes: number;
  durationMs: number;
  errorCodes: string[];
}

export interface OperationReportOptions {
  sessionOf(request: Request): Session | null;
  /** Records the report; a rejection withholds a query's result. */
  onReport(report: OperationReport): Promise<void>;
  logger: Logger;
}

/** What is known of a request's operation so far. */
interface Pending {
  startedAt: number;
  servedAt: Date;
  params: GraphQLParams;
  operationName: string | null;
  operationType: string;
}

/** The plugin: starts the clock at the request's parameters, reports at its result (or its stream's end). */
export function useOperationReports(options: OperationReportOptions): Plugin {
  const pending = new WeakMap<Request, Pending>();

  /** Reports once the whole result is known; `bytes` and `codes` describe everything that was sent. */
  function reportOf(request: Request, bytes: number, codes: string[]): OperationReport {
    const state = pending.get(request)!;
    return {
      session: options.sessionOf(request),
      servedAt: state.servedAt,
      operationName: state.operationName,
      operationType: state.operationType,
      documentHash: sha256(state.params.query ?? ""),
      variablesHash: sha256(JSON.stringify(state.params.variables ?? {})),
      resultBytes: bytes,
      durationMs: performance.now() - state.startedAt,
      errorCodes: codes,
    };
  }

  /** A stream whose report is made when it ends, however it ends; the source is closed as soon as the client goes. */
  function reportedStream(request: Request, stream: AsyncIterable<ExecutionResult>): AsyncIterable<ExecutionResult> {
    let bytes = 0;
    const codes = new Set<string>();
    let isReported = false;
    const finish = async () => {
      if (isReported) return;
      isReported = true;
      await options.onReport(reportOf(request, bytes, [...codes])).catch((error: Error) => {
        options.logger.error({ err: error.message }, "could not record a subscription's audit report");
      });
    };
    const count = (value: ExecutionResult) => {
      bytes += byteLength(value);
      errorCodesOf(value.errors).forEach((code) => codes.add(code));
      return value;
    };
    const fail = async (error: unknown) => {
      await finish();
      throw error;
    };
    return mapAsyncIterator(stream, count, fail, finish);
  }

  return {
    onParams({ request, params }) {
      pending.set(request, {
        startedAt: performance.now(),
        servedAt: new Date(),
        params,
        operationName: params.operationName ?? null,
        operationType: "unknown",
      });
    },
    onValidate({ context, params }) {
      const request = (context as { request?: Request }).request;
      const state = request && pending.get(request);
      if (state) nameOperation(state, params.documentAST);
    },
    async onExecutionResult({ request, result, setResult }) {
      if (!pending.has(request)) return;
      if (isAsyncIterable(result)) {
        setResult(reportedStream(request, result as AsyncIterable<ExecutionResult>));
        return;
      }
      const single = result as ExecutionResult;
      sendJsonOnce(single);
      try {
        await options.onReport(reportOf(request, byteLength(single), errorCodesOf(single.errors)));
      } catch (error) {
        options.logger.error({ err: (error as Error).message }, "could not record an operation's audit report");
        setResult({ errors: [serverError("INTERNAL_SERVER_ERROR", "the operation could not be audited", 500)] });
      }
    },
  };
}

/** Names the parsed operation, from its document when the request did not name it, even if it fails validation. */
function nameOperation(state: Pending, document: DocumentNode): void {
  const operation = getOperationAST(document, state.params.operationName);
  state.operationName = operation?.name?.value ?? state.operationName;
  state.operationType = operation?.operation ?? "unknown";
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
