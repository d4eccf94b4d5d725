/**
 * Prometheus metrics of the API: operations by name, type and outcome with their latencies, HTTP responses by
 * route and status, and sign-ins by outcome. Operation names come from clients, so only the first
 * {@link MAX_OPERATION_NAMES} distinct ones get their own series; later ones share "other", and a client cannot
 * grow the registry without bound.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** One GraphQL operation served. */
export interface OperationSample {
  operationName: string | null;
  /** "query", "subscription", or "unknown" when the document never parsed. */
  operationType: string;
  durationMs: number;
  isError: boolean;
}

export interface ApiMetrics {
  /** Its own registry, not prom-client's global one, so several servers in one process never collide. */
  readonly registry: Registry;
  observeOperation(sample: OperationSample): void;
  observeHttpResponse(route: string, status: number): void;
  observeSignIn(outcome: string): void;
}

const MAX_OPERATION_NAMES = 200;
/** From a cached lookup (milliseconds) to a large page on a loaded database (seconds). */
const OPERATION_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates the metrics on a fresh registry that also carries the default process and Node.js metrics. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const operations = new Counter({
    name: "dxl_api_operations_total",
    help: "GraphQL operations served, by operation name, type and outcome.",
    labelNames: ["operation_name", "operation_type", "outcome"] as const,
    registers,
  });
  const durations = new Histogram({
    name: "dxl_api_operation_duration_seconds",
    help: "Time to serve a GraphQL operation (a subscription: until it ended), by operation name and type.",
    labelNames: ["operation_name", "operation_type"] as const,
    buckets: OPERATION_DURATION_BUCKETS,
    registers,
  });
  const responses = new Counter({
    name: "dxl_api_http_responses_total",
    help: "HTTP responses, by route and status code.",
    labelNames: ["route", "status"] as const,
    registers,
  });
  const signIns = new Counter({
    name: "dxl_api_sign_ins_total",
    help: "Sign-in attempts, by outcome (ok or the refusal's code).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const label = createOperationLabeler();

  return {
    registry,
    observeOperation(sample) {
      const labels = { operation_name: label(sample.operationName), operation_type: sample.operationType };
      operations.inc({ ...labels, outcome: sample.isError ? "error" : "ok" });
      durations.observe(labels, sample.durationMs / 1000);
    },
    observeHttpResponse(route, status) {
      responses.inc({ route, status: String(status) });
    },
    observeSignIn(outcome) {
      signIns.inc({ outcome });
    },
  };
}

/** Maps a client's operation name to a label: "anonymous" without one, "other" past the cap. */
function createOperationLabeler(): (name: string | null) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name) return "anonymous";
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_NAMES) return "other";
    seen.add(name);
    return name;
  };
}
