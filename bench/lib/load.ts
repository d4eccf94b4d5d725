/**
 * Driving the API with autocannon: a fixed number of keep-alive connections, each sending the shape's next request
 * as soon as the previous answer arrived (closed loop), for a fixed time; every answer's body is checked, and the
 * CPU time of the API, PostgreSQL and the load generator itself is taken over the run.
 */
import autocannon from "autocannon";
import { cpuSeconds } from "./processes";
import type { Shape } from "./api-shapes";

/** Where to send requests and as whom. */
export interface LoadTarget {
  graphqlUrl: string;
  token: string;
  apiPid: number;
  /** The PostgreSQL postmaster, when it runs on this machine. */
  postgresPid: number | null;
}

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  /** A number of requests to send instead: the duration is then ignored. */
  requests?: number;
}

/** One shape's run. */
export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers with a status other than 2xx. */
  non2xx: number;
  /** 2xx answers whose body held GraphQL errors or empty data. */
  incomplete: number;
  /** Connection errors, timeouts included. */
  failures: number;
  /** CPU seconds over the run; postgres null when its server is elsewhere. */
  cpu: { api: number; postgres: number | null; loadGenerator: number };
}

/** Sends `shape` to the API for `settings.durationSeconds` over `settings.connections` connections. */
export async function driveShape(target: LoadTarget, shape: Shape, settings: LoadSettings): Promise<LoadResult> {
  const cpuBefore = cpuNow(target);
  const result = await autocannon({
    url: target.graphqlUrl,
    connections: settings.connections,
    duration: settings.durationSeconds,
    ...(settings.requests === undefined ? {} : { amount: settings.requests }),
    headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
    requests: [
      {
        method: "POST",
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            operationName: shape.operationName,
            query: shape.query,
            variables: shape.nextVariables(),
          }),
        }),
      },
    ],
    verifyBody: (body) => shape.isComplete(String(body)),
  });
  const cpuAfter = cpuNow(target);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    incomplete: result.mismatches,
    failures: result.errors,
    cpu: {
      api: cpuAfter.api - cpuBefore.api,
      postgres: cpuAfter.postgres === null ? null : cpuAfter.postgres - cpuBefore.postgres!,
      loadGenerator: cpuAfter.loadGenerator - cpuBefore.loadGenerator,
    },
  };
}

function cpuNow(target: LoadTarget) {
  const usage = process.cpuUsage();
  return {
    api: cpuSeconds(target.apiPid, true),
    postgres: target.postgresPid === null ? null : cpuSeconds(target.postgresPid, true),
    loadGenerator: (usage.user + usage.system) / 1e6,
  };
}
