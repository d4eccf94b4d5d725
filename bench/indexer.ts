/**
 * `npm run bench:indexer [-- --events N] [--cpu-prof DIR]`: the indexer's throughput, memory and real-time lag.
 *
 * Produces N suite events on a local Anvil node, then indexes the chain from its start block to the head with the
 * indexer CLI as a child process, once into PostgreSQL (a server of the bench's own unless DXL_BENCH_DATABASE_URL
 * names one) and once into PGlite, and measures how long a freshly mined transaction takes to show up in the index.
 * Progress goes to stderr; stdout gets the table and, last, one JSON line.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { id } from "ethers";
import pg from "pg";
import { loadIndexerConfig } from "../indexer/config";
import { startIndexer } from "../indexer/indexer";
import { createLogger } from "../indexer/ops";
import { openDatabase } from "../indexer/store";
import type { Database } from "../indexer/store";
import { SUITE_CONTRACT_NAMES } from "../indexer/decode";
import { deployOnNode, driveEveryEvent } from "../test/helpers/activity";
import type { Deployment } from "../test/helpers/activity";
import { Cleanup, runBench } from "./lib/cleanup";
import { openBenchPostgres } from "./lib/postgres";
import type { PostgresTarget } from "./lib/postgres";
import { format, machineNote, printNotes, printTable, progressOf, yes } from "./lib/report";
import { cpuSeconds, peakRssMb, rpc, sleep, spawnIndexer, startBenchAnvil } from "./lib/processes";
import type { BatchTotals, BenchNode } from "./lib/processes";

const TARGETS = {
  postgresEventsPerSecond: 5_000,
  pgliteEventsPerSecond: 2_000,
  peakRssMb: 500,
  lagP95Ms: 1_000,
} as const;

const DEFAULT_EVENTS = 100_000;
const DEFAULT_LAG_SAMPLES = 200;
/** Attestations per `attestBatch`: about 26M gas, what one transaction of a 30M-gas block can carry. */
const DEFAULT_PER_TRANSACTION = 250;
/**
 * Anvil's block gas limit: far above what a block carries, so EIP-1559 keeps lowering the base fee. At 30M, blocks
 * of 26M (above the 15M target) would raise it 7% a block, and a few hundred blocks would drain the dev accounts.
 */
const NODE_GAS_LIMIT = 1_000_000_000;
/** Bulk transactions sent before waiting for the oldest one's receipt. */
const SEND_WINDOW = 8;
/** The indexer's default head poll, which the lag runs keep: the lag samples start at random points of it. */
const DEFAULT_POLL_INTERVAL_MS = 250;
const LAG_POLL_MS = 5;
const LAG_TIMEOUT_MS = 30_000;
const BACKFILL_TIMEOUT_MS = 60 * 60_000;

interface Options {
  events: number;
  lagSamples: number;
  perTransaction: number;
  /** Where the backfilling indexers write V8 CPU profiles (`--cpu-prof DIR`), if anywhere. */
  cpuProfileDir?: string;
}

/** What producing the events took. */
interface Production {
  events: number;
  /** Of which the bulk attestations. */
  bulkEvents: number;
  blocks: number;
  head: number;
  setupSeconds: number;
  bulkSeconds: number;
  anvilCpuSeconds: number;
}

/** One backfill from the start block to the head by a child indexer. */
interface Backfill {
  events: number;
  /** Spawn to the "following the head" line: start-up included. */
  seconds: number;
  /** Spawn to the "indexer started" line: Node and tsx start, database opened and migrated. */
  startupSeconds: number;
  eventsPerSecond: number;
  /** Events per second after start-up. */
  indexingEventsPerSecond: number;
  peakRssMb: number;
  /** The child process that created the PGlite database (once, before the indexer opened it): peak RSS, time. */
  creation: { peakRssMb: number; seconds: number } | null;
  cpu: { indexer: number; anvil: number; postgres: number | null };
  batches: BatchTotals;
}

/** Lag samples in milliseconds, mined → row visible. */
interface Lag {
  samples: number[];
  p50: number;
  p95: number;
  max: number;
  /** Peak RSS of the indexer process that followed the head (null when it ran in the bench process). */
  peakRssMb: number | null;
}

function main(): void {
  const options = readOptions();
  const loadBefore = os.loadavg();
  const started = performance.now();
  runBench((cleanup) => run(options, cleanup, loadBefore, started), progress);
}

async function run(options: Options, cleanup: Cleanup, loadBefore: number[], started: number): Promise<void> {
  progress(`starting Anvil (block gas limit ${format(NODE_GAS_LIMIT)})`);
  const node = await startBenchAnvil(["--gas-limit", String(NODE_GAS_LIMIT)]);
  cleanup.add(() => node.stop());
  const deployment = await deployOnNode(node.url);
  cleanup.add(() => rm(path.dirname(deployment.deploymentsFile), { recursive: true, force: true }));
  const { production, attester } = await produceEvents(node, deployment, options);

  const postgres = await openBenchPostgres(cleanup, progress);
  const common = ["--rpc-url", node.url, "--deployments", deployment.deploymentsFile, "--ops-port", "0"];
  const postgresArgs = [...common, "--database-url", postgres.url];
  const pgliteDir = await mkdtemp(path.join(os.tmpdir(), "dxl-bench-pglite-"));
  cleanup.add(() => rm(pgliteDir, { recursive: true, force: true }));
  const pgliteArgs = [...common, "--data-dir", pgliteDir];

  progress("backfill into PostgreSQL");
  const postgresBackfill = await backfill(node, production, postgresArgs, postgres.serverPid, cleanup, options);
  progress(`  ${format(postgresBackfill.events)} events in ${postgresBackfill.seconds.toFixed(1)} s`);
  progress("backfill into PGlite");
  const pgliteBackfill = await backfill(node, production, pgliteArgs, null, cleanup, options);
  progress(`  ${format(pgliteBackfill.events)} events in ${pgliteBackfill.seconds.toFixed(1)} s`);

  progress(`lag on PostgreSQL (${options.lagSamples} transactions)`);
  const postgresLag = await lagOnPostgres(node, attester, postgresArgs, postgres.url, options.lagSamples, cleanup);
  progress(`lag on PGlite, indexer in the bench process (${options.lagSamples} transactions)`);
  const pgliteLag = await lagOnPglite(node, deployment, attester, pgliteDir, options.lagSamples, cleanup);

  const summary = {
    bench: "indexer",
    events: production.events,
    postgresEventsPerSecond: Math.round(postgresBackfill.eventsPerSecond),
    pgliteEventsPerSecond: Math.round(pgliteBackfill.eventsPerSecond),
    peakRssMb: round(Math.max(postgresBackfill.peakRssMb, pgliteBackfill.peakRssMb, postgresLag.peakRssMb ?? 0), 1),
    lagP95Ms: Math.round(Math.max(postgresLag.p95, pgliteLag.p95)),
  };
  const met = {
    postgres: summary.postgresEventsPerSecond >= TARGETS.postgresEventsPerSecond,
    pglite: summary.pgliteEventsPerSecond >= TARGETS.pgliteEventsPerSecond,
    memory: summary.peakRssMb < TARGETS.peakRssMb,
    lag: summary.lagP95Ms <= TARGETS.lagP95Ms,
  };
  printReport({ production, postgresBackfill, pgliteBackfill, postgresLag, pgliteLag, met, summary });
  printBenchNotes({ options, postgres, loadBefore, seconds: (performance.now() - started) / 1000 });
  console.log(JSON.stringify(summary));
  if (!Object.values(met).every(Boolean)) process.exitCode = 1;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      events: { type: "string" },
      "lag-samples": { type: "string" },
      "per-transaction": { type: "string" },
      "cpu-prof": { type: "string" },
    },
    strict: true,
  });
  const positive = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive whole number`);
    return Number(value);
  };
  return {
    events: positive("events", values.events, DEFAULT_EVENTS),
    lagSamples: positive("lag-samples", values["lag-samples"], DEFAULT_LAG_SAMPLES),
    perTransaction: positive("per-transaction", values["per-transaction"], DEFAULT_PER_TRANSACTION),
    cpuProfileDir: values["cpu-prof"],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Producing the events

/**
 * Attests on the call-records source of {@link driveEveryEvent}, keeping its chain head locally so that batches
 * can be sent back to back without reading the contract between them.
 */
class Attester {
  private constructor(
    private readonly deployment: Deployment,
    private readonly sourceId: string,
    private head: bigint,
    private periodEnd: bigint,
    private nextId: bigint,
  ) {}

  static async open(deployment: Deployment, sourceId: string): Promise<Attester> {
    const registry = deployment.suite.attestations;
    const chain = await registry.getSourceChain(sourceId);
    const count = await registry.attestationCount();
    return new Attester(deployment, sourceId, chain.headAttestationId, chain.lastPeriodEnd, count + 1n);
  }

  private get registry() {
    return this.deployment.suite.attestations.connect(this.deployment.signers.telecomSteward);
  }

  /** The next `count` requests of the chain, without taking them. */
  requests(count: number) {
    return Array.from({ length: count }, (_, offset) => {
      const attestationId = this.nextId + BigInt(offset);
      return {
        sourceId: this.sourceId,
        merkleRoot: id(`bench:${attestationId}`),
        recordCount: 1_000,
        periodStart: this.periodEnd + BigInt(offset),
        periodEnd: this.periodEnd + BigInt(offset) + 1n,
        previousAttestationId: offset === 0 ? this.head : attestationId - 1n,
        dataURI: "",
      };
    });
  }

  estimateBatchGas(count: number): Promise<bigint> {
    return this.registry.attestBatch.estimateGas(this.requests(count));
  }

  /** Sends one `attestBatch` of `count` (one `attest` when `count` is 1) and returns its hash and attestation ids. */
  async send(count: number, gasLimit: bigint): Promise<{ hash: string; lastId: bigint; wait: () => Promise<unknown> }> {
    const requests = this.requests(count);
    const sent =
      count === 1
        ? await this.registry.attest(requests[0], { gasLimit })
        : await this.registry.attestBatch(requests, { gasLimit });
    const lastId = this.nextId + BigInt(count) - 1n;
    this.head = lastId;
    this.periodEnd = requests[count - 1].periodEnd;
    this.nextId = lastId + 1n;
    return { hash: sent.hash, lastId, wait: () => sent.wait() };
  }
}

/** Deploys, drives every event once, then attests in bulk until the suite has `options.events` logs. */
async function produceEvents(node: BenchNode, deployment: Deployment, options: Options) {
  const setupStarted = performance.now();
  const activity = await driveEveryEvent(deployment);
  const attester = await Attester.open(deployment, activity.sources.callRecords);
  const addresses = SUITE_CONTRACT_NAMES.map((name) => deployment.record.contracts[name]!.address.toLowerCase());
  const countLogs = async (fromBlock: number) =>
    (
      await rpc<unknown[]>(node.url, "eth_getLogs", [
        { fromBlock: hex(fromBlock), toBlock: "latest", address: addresses },
      ])
    ).length;
  const startBlock = deployment.record.startBlock;
  let events = await countLogs(startBlock);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const bulkStarted = performance.now();
  const anvilCpuBefore = cpuSeconds(node.pid);
  const perTransaction = Math.min(options.perTransaction, Math.max(1, options.events - events));
  const gasLimit = ((await attester.estimateBatchGas(perTransaction)) * 12n) / 10n;
  const pending: { wait: () => Promise<unknown>; count: number }[] = [];
  let confirmed = 0;
  const settleOldest = async () => {
    const oldest = pending.shift()!;
    const receipt = (await oldest.wait()) as { status: number; logs: unknown[] } | null;
    if (receipt?.status !== 1) throw new Error("a bulk attestBatch failed");
    if (receipt.logs.length !== oldest.count)
      throw new Error(`a batch of ${oldest.count} emitted ${receipt.logs.length}`);
    confirmed += oldest.count;
  };
  let lastReport = performance.now();
  for (let sent = 0; events + sent < options.events;) {
    const count = Math.min(perTransaction, options.events - events - sent);
    pending.push({ ...(await attester.send(count, gasLimit)), count });
    sent += count;
    if (pending.length >= SEND_WINDOW) await settleOldest();
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      progress(`  ${format(events + confirmed)} of ${format(options.events)} events`);
    }
  }
  while (pending.length > 0) await settleOldest();
  events += confirmed;
  const bulkSeconds = (performance.now() - bulkStarted) / 1000;
  const head = Number(await rpc<string>(node.url, "eth_blockNumber", []));
  progress(`produced ${format(events)} events up to block ${head} in ${(setupSeconds + bulkSeconds).toFixed(1)} s`);
  const production: Production = {
    events,
    bulkEvents: confirmed,
    blocks: head - startBlock + 1,
    head,
    setupSeconds,
    bulkSeconds,
    anvilCpuSeconds: cpuSeconds(node.pid) - anvilCpuBefore,
  };
  return { production, attester };
}

// ---------------------------------------------------------------------------------------------------------------
// Databases

// ---------------------------------------------------------------------------------------------------------------
// Throughput

/**
 * Runs the indexer CLI until it follows the head. The clock runs from spawn (start-up included) to the "following
 * the head" line, which the sync loop logs once its indexed block has reached the head it saw.
 */
async function backfill(
  node: BenchNode,
  production: Production,
  args: string[],
  postgresPid: number | null,
  cleanup: Cleanup,
  options: Options,
): Promise<Backfill> {
  const anvilBefore = cpuSeconds(node.pid);
  const postgresBefore = postgresPid === null ? null : cpuSeconds(postgresPid, true);
  const indexer = spawnIndexer([...args, "--log-level", "debug"], options.cpuProfileDir);
  const stop = cleanup.add(() => indexer.stop());
  try {
    const started = await indexer.waitFor((line) => line.msg === "indexer started", 120_000);
    const following = await indexer.waitFor((line) => line.msg === "following the head", BACKFILL_TIMEOUT_MS);
    const metrics = await scrapeMetrics(String(started.fields.ops_url));
    if (metrics.indexedBlock < production.head) {
      throw new Error(`the indexer follows at block ${metrics.indexedBlock}, below the head ${production.head}`);
    }
    if (metrics.events !== production.events) {
      throw new Error(`the indexer counted ${metrics.events} events; the chain has ${production.events}`);
    }
    const seconds = (following.at - indexer.spawnedAt) / 1000;
    const startupSeconds = (started.at - indexer.spawnedAt) / 1000;
    const created = indexer.seen((line) => line.msg === "created the PGlite database")?.fields;
    return {
      events: metrics.events,
      seconds,
      startupSeconds,
      eventsPerSecond: metrics.events / seconds,
      indexingEventsPerSecond: metrics.events / (seconds - startupSeconds),
      peakRssMb: peakRssMb(indexer.pid),
      creation: created
        ? { peakRssMb: Number(created.peak_rss_mb), seconds: Number(created.duration_ms) / 1000 }
        : null,
      cpu: {
        indexer: cpuSeconds(indexer.pid),
        anvil: cpuSeconds(node.pid) - anvilBefore,
        postgres: postgresPid === null ? null : cpuSeconds(postgresPid, true) - postgresBefore!,
      },
      batches: { ...indexer.batches },
    };
  } finally {
    await stop();
  }
}

async function scrapeMetrics(opsUrl: string): Promise<{ indexedBlock: number; events: number }> {
  const text = await (await fetch(new URL("/metrics", opsUrl))).text();
  const value = (name: string) => {
    const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
    if (!match) throw new Error(`no ${name} in /metrics`);
    return Number(match[1]);
  };
  return { indexedBlock: value("dxl_indexer_indexed_block"), events: value("dxl_indexer_events_total") };
}

// ---------------------------------------------------------------------------------------------------------------
// Lag

/** A child indexer on the PostgreSQL database of the backfill follows the head; the bench polls PostgreSQL. */
async function lagOnPostgres(
  node: BenchNode,
  attester: Attester,
  args: string[],
  url: string,
  samples: number,
  cleanup: Cleanup,
): Promise<Lag> {
  const indexer = spawnIndexer(args);
  const stopIndexer = cleanup.add(() => indexer.stop());
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const endClient = cleanup.add(() => client.end());
  try {
    await indexer.waitFor((line) => line.msg === "following the head", 120_000);
    const lags = await measureLag(node, attester, samples, async (attestationId) => {
      const { rowCount } = await client.query("SELECT 1 FROM attestations WHERE attestation_id = $1", [
        attestationId.toString(),
      ]);
      return rowCount === 1;
    });
    return { ...lags, peakRssMb: peakRssMb(indexer.pid) };
  } finally {
    await endClient();
    await stopIndexer();
  }
}

/**
 * PGlite admits one process, so the indexer runs in the bench process on the backfill's data folder, and the bench
 * reads through the indexer's own database handle.
 */
async function lagOnPglite(
  node: BenchNode,
  deployment: Deployment,
  attester: Attester,
  dataDir: string,
  samples: number,
  cleanup: Cleanup,
): Promise<Lag> {
  const database: Database = await openDatabase({ dataDir });
  const closeDatabase = cleanup.add(() => database.close());
  try {
    const config = loadIndexerConfig(
      ["--rpc-url", node.url, "--deployments", deployment.deploymentsFile, "--data-dir", dataDir, "--ops-port", "off"],
      {},
    );
    const logger = createLogger({ level: "warn", destination: process.stderr });
    const indexer = await startIndexer(config, { logger, isTTY: false }, { database });
    const stopIndexer = cleanup.add(() => indexer.stop());
    try {
      const head = Number(await rpc<string>(node.url, "eth_blockNumber", []));
      const deadline = Date.now() + 120_000;
      while (!indexer.sync.status().following || (indexer.sync.status().indexedBlock ?? -1) < head) {
        if (Date.now() > deadline)
          throw new Error(`PGlite indexer did not catch up: ${JSON.stringify(indexer.sync.status())}`);
        await sleep(20);
      }
      const lags = await measureLag(node, attester, samples, async (attestationId) => {
        const rows = await database.query("SELECT 1 FROM attestations WHERE attestation_id = $1", [
          attestationId.toString(),
        ]);
        return rows.length === 1;
      });
      return { ...lags, peakRssMb: null };
    } finally {
      await stopIndexer();
    }
  } finally {
    await closeDatabase();
  }
}

/**
 * Sends `samples` single attestations one after another, each after a random pause of up to one poll interval so
 * that they land at random points of the indexer's poll cycle. t0: the receipt is obtained (Anvil mines on receipt
 * of the transaction; the receipt is asked for in a tight loop); t1: the attestation's row is visible.
 */
async function measureLag(
  node: BenchNode,
  attester: Attester,
  samples: number,
  isVisible: (attestationId: bigint) => Promise<boolean>,
): Promise<Omit<Lag, "peakRssMb">> {
  const lags: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    await sleep(Math.random() * DEFAULT_POLL_INTERVAL_MS);
    const { hash, lastId } = await attester.send(1, 1_000_000n);
    let receipt: { status: string } | null = null;
    while (receipt === null) receipt = await rpc(node.url, "eth_getTransactionReceipt", [hash]);
    const minedAt = performance.now();
    if (receipt.status !== "0x1") throw new Error(`lag transaction ${hash} failed`);
    while (!(await isVisible(lastId))) {
      if (performance.now() - minedAt > LAG_TIMEOUT_MS) throw new Error(`attestation ${lastId} never became visible`);
      await sleep(LAG_POLL_MS);
    }
    lags.push(performance.now() - minedAt);
  }
  const sorted = [...lags].sort((a, b) => a - b);
  return { samples: lags, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function printReport(report: {
  production: Production;
  postgresBackfill: Backfill;
  pgliteBackfill: Backfill;
  postgresLag: Lag;
  pgliteLag: Lag;
  met: Record<"postgres" | "pglite" | "memory" | "lag", boolean>;
  summary: { peakRssMb: number; lagP95Ms: number };
}): void {
  const { production, postgresBackfill: pgb, pgliteBackfill: plb, postgresLag, pgliteLag, met, summary } = report;
  const rate = (value: number) => format(Math.round(value));
  const ms = (value: number) => format(Math.round(value));
  const seconds = (value: number) => value.toFixed(1);
  const engineRows = (engine: string, backfill: Backfill, target: number, targetMet: boolean): string[][] => {
    const { batches, cpu } = backfill;
    const inBatches = batches.durationMs / 1000;
    const rest = backfill.seconds - backfill.startupSeconds - inBatches;
    return [
      [`${engine} events/s (start-up included)`, rate(backfill.eventsPerSecond), `≥ ${format(target)}`, yes(targetMet)],
      ["  events/s after start-up", rate(backfill.indexingEventsPerSecond), "", ""],
      [
        "  wall s = start-up + batches + rest",
        `${seconds(backfill.seconds)} = ${seconds(backfill.startupSeconds)} + ${seconds(inBatches)} + ${seconds(rest)}`,
        "",
        "",
      ],
      [
        "  batches × mean events (slowest ms)",
        `${batches.batches} × ${format(Math.round(batches.events / batches.batches))} (${ms(batches.maxDurationMs)})`,
        "",
        "",
      ],
      [
        `  CPU s: indexer / anvil${cpu.postgres === null ? "" : " / postgres"}`,
        [cpu.indexer, cpu.anvil, ...(cpu.postgres === null ? [] : [cpu.postgres])].map(seconds).join(" / "),
        "",
        "",
      ],
      ["  indexer peak RSS (MB)", backfill.peakRssMb.toFixed(1), "", ""],
      ...(backfill.creation
        ? [
            [
              "  creating the database: child peak RSS (MB), s",
              `${backfill.creation.peakRssMb.toFixed(0)}, ${seconds(backfill.creation.seconds)}`,
              "",
              "",
            ],
          ]
        : []),
    ];
  };
  const rows: string[][] = [
    ["events produced (start block → head)", format(production.events), "", ""],
    ["  blocks", format(production.blocks), "", ""],
    ["  deploy + every event once (s)", seconds(production.setupSeconds), "", ""],
    ["  bulk attestBatch (s)", seconds(production.bulkSeconds), "", ""],
    ["  bulk events/s", rate(production.bulkEvents / production.bulkSeconds), "", ""],
    ...engineRows("PostgreSQL", pgb, TARGETS.postgresEventsPerSecond, met.postgres),
    ...engineRows("PGlite", plb, TARGETS.pgliteEventsPerSecond, met.pglite),
    ["peak RSS of the indexer processes (MB)", summary.peakRssMb.toFixed(1), `< ${TARGETS.peakRssMb}`, yes(met.memory)],
    ["  following the head on PostgreSQL (MB)", (postgresLag.peakRssMb ?? 0).toFixed(1), "", ""],
    [
      `lag p95, worse of the two (ms, ${postgresLag.samples.length} tx each)`,
      ms(summary.lagP95Ms),
      `≤ ${format(TARGETS.lagP95Ms)}`,
      yes(met.lag),
    ],
    [
      "  PostgreSQL p50 / p95 / max (ms)",
      [postgresLag.p50, postgresLag.p95, postgresLag.max].map(ms).join(" / "),
      "",
      "",
    ],
    ["  PGlite p50 / p95 / max (ms)", [pgliteLag.p50, pgliteLag.p95, pgliteLag.max].map(ms).join(" / "), "", ""],
  ];
  printTable(["figure", "value", "target", "met?"], rows);
}

function printBenchNotes(context: {
  options: Options;
  postgres: PostgresTarget;
  loadBefore: number[];
  seconds: number;
}): void {
  const { options, postgres, loadBefore, seconds } = context;
  const notes = [
    `events: suite logs from the deployment block; bulk = attestBatch of ${options.perTransaction} on Anvil ` +
      `(block gas limit ${format(NODE_GAS_LIMIT)}), ${SEND_WINDOW} transactions in flight.`,
    "events/s: the indexer CLI as a child process (`npm run indexer` without npm: node --max-old-space-size=256 " +
      "--import tsx indexer/main.ts, default settings, " +
      '--log-level debug for the batch lines), from spawn to its "following the head" line; start-up included.',
    'wall s: start-up = spawn → "indexer started" (Node, tsx, database created or opened, migrated); batches = ' +
      'sum of the debug "batch indexed" durations (database writes, at most 2,000 events each); rest = what the ' +
      "writes did not hide of eth_getLogs, headers and decoding (the next range is read and decoded during a write).",
    "peak RSS: VmHWM of each indexer process just before it is stopped (the backfills and the PostgreSQL follower). " +
      "A new PGlite database is created by a short-lived child of the indexer (initdb peaks near 800 MB of " +
      "WebAssembly memory that a process keeps): its peak is shown apart, and is not in the target's figure.",
    `lag: mined (receipt obtained) → row in attestations visible, polled every ${LAG_POLL_MS} ms; one attest per ` +
      `transaction after a random pause of 0–${DEFAULT_POLL_INTERVAL_MS} ms; default poll interval ` +
      `(${DEFAULT_POLL_INTERVAL_MS} ms) and finality. PostgreSQL: a child indexer; PGlite: the indexer in the ` +
      "bench process (PGlite admits one process).",
    postgres.own
      ? "PostgreSQL 15 started by the bench with test/helpers/postgres-server.ts, which sets fsync=off and has " +
        "no option to turn it on: commits do not wait for the disk, so the PostgreSQL figures are optimistic."
      : "PostgreSQL: the server of DXL_BENCH_DATABASE_URL, as configured there.",
    machineNote(loadBefore, seconds),
  ];
  printNotes(notes);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const progress = progressOf("indexer");

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

main();
