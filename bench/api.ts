/**
 * `npm run bench:api [-- --duration S] [--attestations N] [--requests N] [--connections N]`: the GraphQL API under
 * load.
 *
 * Fills PostgreSQL (a server of the bench's own unless DXL_BENCH_DATABASE_URL names one) with a synthetic ledger
 * through the indexer's store — attestations, access requests with their endorsements, decisions, deliveries,
 * acknowledgements and revocations — starts the API as a child process, signs in as an oversight auditor, and
 * drives three request shapes with autocannon: one request by id, a filtered and ordered page of 50, a case trail.
 * Each shape runs twice: with the API's response cache warm, after one pass over the shape's pool of keys (the
 * headline figures: the index is static here, so the cache never empties, where a live chain empties it at every
 * indexed block), then with the cache off (`--response-cache-mb 0`: every request executed). Progress goes to
 * stderr; stdout gets the table and, last, one JSON line.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { id, Wallet } from "ethers";
import { openDatabase } from "../indexer/store";
import { startBenchApi } from "./lib/api-process";
import { loadShapes } from "./lib/api-shapes";
import type { Shape } from "./lib/api-shapes";
import { runBench } from "./lib/cleanup";
import type { Cleanup } from "./lib/cleanup";
import { fillLedger } from "./lib/ledger/fill";
import type { Fill } from "./lib/ledger/fill";
import { driveShape } from "./lib/load";
import type { LoadResult, LoadTarget } from "./lib/load";
import { positiveInteger } from "./lib/options";
import { openBenchPostgres } from "./lib/postgres";
import type { PostgresTarget } from "./lib/postgres";
import { format, machineNote, printNotes, printTable, progressOf, yes } from "./lib/report";
import { signIn } from "./lib/sign-in";

const TARGETS = { p99Ms: 50, byIdRequestsPerSecond: 1_000 } as const;

const DEFAULTS = {
  attestations: 1_000_000,
  requests: 200_000,
  durationSeconds: 20,
  connections: 32,
} as const;
/** ~10 requests a case: 20,000 cases at the default size. */
const REQUESTS_PER_CASE = 10;
/** Events per writeBatch during the fill. */
const WRITE_SIZE = 5_000;
const SEED = 1;
/** Without the response cache, each shape runs this long before its measured run: connections open, plans made. */
const WARM_UP_SECONDS = 2;
/** Sample answers checked per shape before the runs. */
const SAMPLES = 3;

interface Options {
  attestations: number;
  requests: number;
  durationSeconds: number;
  connections: number;
}

/** A shape with its runs: with the response cache warm (the headline), and with it off. */
interface Measured {
  shape: Shape;
  result: LoadResult;
  uncached: LoadResult;
}

const progress = progressOf("api");

runBench(async (cleanup) => {
  const loadBefore = os.loadavg();
  const started = performance.now();
  const options = readOptions();
  const postgres = await openBenchPostgres(cleanup, progress);
  // The bench's own key, from a label: the same auditor every run, and no key of anyone else's.
  const auditor = new Wallet(id("dxl bench auditor"));
  const { fill, shapes } = await fillAndSample(postgres.url, options, auditor.address, cleanup);

  const run = (withCache: boolean) => driveApi({ postgres, auditor, shapes, options, cleanup, withCache });
  const cached = await run(true);
  const uncached = await run(false);
  const measured: Measured[] = shapes.map((shape, index) => ({
    shape,
    result: cached[index],
    uncached: uncached[index],
  }));

  const summary = summarize(fill, measured);
  const byId = measured.find(({ shape }) => shape.key === "byId")!.result;
  const met = {
    byIdRps: Math.round(byId.requestsPerSecond) >= TARGETS.byIdRequestsPerSecond,
    ...Object.fromEntries(measured.map(({ shape, result }) => [shape.key, result.p99Ms <= TARGETS.p99Ms])),
  };
  printReport(fill, measured, met);
  printNotes(notes(options, postgres, shapes, fill, loadBefore, (performance.now() - started) / 1000));
  const failed = measured.filter((entry) => errorsOf(entry.result) + errorsOf(entry.uncached) > 0);
  if (failed.length > 0) {
    throw new Error(`error responses under load (${failed.map(({ shape }) => shape.key).join(", ")}): see the table`);
  }
  console.log(JSON.stringify(summary));
  if (!Object.values(met).every(Boolean)) process.exitCode = 1;
}, progress);

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: "string" },
      attestations: { type: "string" },
      requests: { type: "string" },
      connections: { type: "string" },
    },
    strict: true,
  });
  return {
    attestations: positiveInteger("attestations", values.attestations, DEFAULTS.attestations),
    requests: positiveInteger("requests", values.requests, DEFAULTS.requests),
    durationSeconds: positiveInteger("duration", values.duration, DEFAULTS.durationSeconds),
    connections: positiveInteger("connections", values.connections, DEFAULTS.connections),
  };
}

/** Fills the database, then draws the shapes' pools from it; the bench's connection closes before the API starts. */
async function fillAndSample(url: string, options: Options, auditor: string, cleanup: Cleanup) {
  const database = await openDatabase({ url, dataDir: "" });
  const close = cleanup.add(() => database.close());
  try {
    progress(`filling: ${format(options.attestations)} attestations, ${format(options.requests)} access requests`);
    const fill = await fillLedger(
      database,
      { ...options, requestsPerCase: REQUESTS_PER_CASE, seed: SEED, auditor, writeSize: WRITE_SIZE },
      progress,
    );
    progress(`filled ${format(fill.events)} events in ${fill.seconds.toFixed(1)} s`);
    return { fill, shapes: await loadShapes(database) };
  } finally {
    await close();
  }
}

/** A few answers of each shape, each checked complete before the load starts: a broken shape fails here, loudly. */
async function checkSampleAnswers(target: LoadTarget, shapes: Shape[]): Promise<void> {
  for (const shape of shapes) {
    const sizes: string[] = [];
    for (let sample = 0; sample < SAMPLES; sample++) {
      const variables = shape.nextVariables();
      const response = await fetch(target.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
        body: JSON.stringify({ operationName: shape.operationName, query: shape.query, variables }),
      });
      const body = await response.text();
      if (response.status !== 200 || !shape.isComplete(body)) {
        throw new Error(
          `${shape.key} ${JSON.stringify(variables)} answered ${response.status}: ${body.slice(0, 2000)}`,
        );
      }
      sizes.push(`${itemsIn(body)} items, ${format(body.length / 1024)} kB`);
    }
    progress(`sample answers of ${shape.key} are complete: ${sizes.join("; ")}`);
  }
}

/** The items of a one-field answer: the list's length, a connection's nodes, or 1 for an object. */
function itemsIn(body: string): number {
  const [answer] = Object.values((JSON.parse(body) as { data: Record<string, unknown> }).data);
  if (Array.isArray(answer)) return answer.length;
  const nodes = (answer as { nodes?: unknown[] }).nodes;
  return nodes ? nodes.length : 1;
}

interface ApiRun {
  postgres: PostgresTarget;
  auditor: Wallet;
  shapes: Shape[];
  options: Options;
  cleanup: Cleanup;
  withCache: boolean;
}

/** Starts the API (its response cache on or off), signs in, checks sample answers and measures each shape. */
async function driveApi({ postgres, auditor, shapes, options, cleanup, withCache }: ApiRun): Promise<LoadResult[]> {
  const args = withCache ? [] : ["--response-cache-mb", "0"];
  progress(`starting the API (node --import tsx indexer/api/main.ts ${args.join(" ")})`);
  const api = await startBenchApi(postgres.url, args);
  const stop = cleanup.add(() => api.stop());
  try {
    const token = await signIn(api.url, auditor);
    const target: LoadTarget = { graphqlUrl: api.graphqlUrl, token, apiPid: api.pid, postgresPid: postgres.serverPid };
    await checkSampleAnswers(target, shapes);
    const results: LoadResult[] = [];
    for (const shape of shapes) results.push(await measure(target, shape, options, withCache));
    return results;
  } finally {
    await stop();
  }
}

/**
 * With the cache, one pass over the shape's pool first (each key executed once, then kept), so every answer of
 * the measured run is a hit, as a dashboard's repeated reads between two blocks would be; without it, a short
 * warm-up (connections open, plans made).
 */
async function measure(target: LoadTarget, shape: Shape, options: Options, withCache: boolean) {
  const { connections, durationSeconds } = options;
  const warmUp = withCache ? { requests: shape.poolSize } : { durationSeconds: WARM_UP_SECONDS };
  progress(`${shape.key}: warming up (${withCache ? "a pass over the pool" : `${WARM_UP_SECONDS} s`})`);
  await driveShape(target, shape, { connections, durationSeconds, ...warmUp });
  const result = await driveShape(target, shape, { connections, durationSeconds });
  progress(`  ${withCache ? "cached" : "uncached"}: ${describe(result)}`);
  return result;
}

function describe(result: LoadResult): string {
  const rate = format(Math.round(result.requestsPerSecond));
  return `${rate} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${errorsOf(result)}`;
}

function errorsOf(result: LoadResult): number {
  return result.non2xx + result.incomplete + result.failures;
}

/** The JSON line: rows filled (attestations + access requests), each shape's throughput and p99, then uncached. */
function summarize(fill: Fill, measured: Measured[]) {
  const figures = (run: "result" | "uncached", suffix: string): Record<string, number> =>
    Object.fromEntries(
      measured.flatMap((entry) => [
        [`${entry.shape.key}${suffix}Rps`, Math.round(entry[run].requestsPerSecond)],
        [`${entry.shape.key}${suffix}P99Ms`, entry[run].p99Ms],
      ]),
    );
  return { bench: "api", rows: filledRows(fill), ...figures("result", ""), ...figures("uncached", "Uncached") };
}

function filledRows(fill: Fill): number {
  return fill.rows.attestations + fill.rows.access_requests;
}

function printReport(fill: Fill, measured: Measured[], met: Record<string, boolean>): void {
  const { rows } = fill;
  printTable(
    ["figure", "value", "target", "met?"],
    [
      ["rows filled (attestations + access requests)", format(filledRows(fill)), "", ""],
      ["  attestations / access requests", `${format(rows.attestations)} / ${format(rows.access_requests)}`, "", ""],
      ["  deliveries / revocations", `${format(rows.deliveries)} / ${format(rows.revocations)}`, "", ""],
      ["  events / blocks", `${format(rows.events)} / ${format(rows.blocks)}`, "", ""],
      ["fill (s), VACUUM ANALYZE included", fill.seconds.toFixed(1), "", ""],
      ["  events/s through writeBatch", format(Math.round(fill.events / fill.seconds)), "", ""],
      ...measured.flatMap((entry) => shapeRows(entry, met)),
    ],
  );
}

/** A shape's rows: the cached run's throughput, latency, errors and CPU, then the uncached run's. */
function shapeRows({ shape, result, uncached }: Measured, met: Record<string, boolean>): string[][] {
  const hasRateTarget = shape.key === "byId";
  return [
    [
      `${shape.title}: req/s`,
      format(Math.round(result.requestsPerSecond)),
      hasRateTarget ? `≥ ${format(TARGETS.byIdRequestsPerSecond)}` : "",
      hasRateTarget ? yes(met.byIdRps) : "",
    ],
    ["  p50 / p99 / max (ms)", latencies(result), `p99 ≤ ${TARGETS.p99Ms}`, yes(met[shape.key])],
    [
      "  requests; non-2xx / incomplete / failed",
      `${format(result.requests)}; ${result.non2xx} / ${result.incomplete} / ${result.failures}`,
      "0",
      yes(errorsOf(result) === 0),
    ],
    cpuRow("  ", result),
    [
      "  uncached (--response-cache-mb 0): req/s; p50 / p99 / max (ms)",
      `${format(Math.round(uncached.requestsPerSecond))}; ${latencies(uncached)}`,
      "",
      errorsOf(uncached) === 0 ? "" : `${errorsOf(uncached)} errors`,
    ],
    cpuRow("    ", uncached),
  ];
}

/** Where a run's CPU went: the API, PostgreSQL when it runs on this machine, and the load generator. */
function cpuRow(indent: string, { cpu }: LoadResult): string[] {
  const { api, postgres, loadGenerator } = cpu;
  return [
    `${indent}CPU s: api / ${postgres === null ? "" : "postgres / "}load generator`,
    [api, ...(postgres === null ? [] : [postgres]), loadGenerator].map((value) => value.toFixed(1)).join(" / "),
    "",
    "",
  ];
}

function latencies(result: LoadResult): string {
  return [result.p50Ms, result.p99Ms, result.maxMs].map(format).join(" / ");
}

function notes(
  options: Options,
  postgres: PostgresTarget,
  shapes: Shape[],
  fill: Fill,
  loadBefore: number[],
  seconds: number,
): string[] {
  const pools = shapes.map((shape) => `${shape.key} ${format(shape.poolSize)}`).join(", ");
  const statuses = Object.entries(fill.statuses).map(([status, count]) => `${status} ${format(count)}`);
  return [
    `fill: a synthetic ledger (${format(fill.events)} events: 12 holders, one bureau, one oversight office; one ` +
      `request every 158 s of chain time, ~${REQUESTS_PER_CASE} a case) ABI-encoded with the TypeChain ` +
      `interfaces, decoded by the indexer's decoder and written by its store (writeBatch, ${format(WRITE_SIZE)} ` +
      `events a transaction, projections included, ${fill.batches} batches), then VACUUM ANALYZE (autovacuum's ` +
      `work on a server that has run a while). Requests by status at the last block: ${statuses.join(", ")}.`,
    "API: a child process (node --import tsx indexer/api/main.ts --database-url … --port 0), one process as " +
      "`npm run api` starts by default (pool of 4 connections, audit log on, response cache 64 MB, log level " +
      "info). Every request carries the bearer token of a SIWE sign-in as an OVERSIGHT auditor, who sees " +
      "everything. The response cache answers a repeated query at the same index version without executing it " +
      "(the session is still read and the audit row still written, for every request). The fill is static, so " +
      "after a shape's first pass every answer of its measured run is a cache hit; on a live chain the cache " +
      "empties at each indexed block (statuses depend on the head's time), and between blocks only keys already " +
      "asked hit: the uncached rows (the API restarted with --response-cache-mb 0) are the cost of the others.",
    `load: autocannon, ${options.connections} keep-alive connections in a closed loop, ${options.durationSeconds} s ` +
      `per shape and run, after one pass over the pool (cached) or ${WARM_UP_SECONDS} s (uncached); variables ` +
      `rotate over pools (${pools}); a 2xx answer with GraphQL errors or empty data counts as incomplete; ` +
      "latencies of 2xx answers, whole milliseconds.",
    "the load generator shares the machine with the API and PostgreSQL: its CPU time above is taken from the " +
      "same cores the API had.",
    postgres.own
      ? "PostgreSQL 15 started by the bench with test/helpers/postgres-server.ts (fsync=off, default settings " +
        "otherwise: shared_buffers 128 MB)."
      : "PostgreSQL: the server of DXL_BENCH_DATABASE_URL, as configured there.",
    machineNote(loadBefore, seconds),
  ];
}
