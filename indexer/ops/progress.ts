/**
 * Backfill progress for whoever watches: a progress bar for a human at a terminal, throttled JSON lines for a log
 * collector. Rates come from a sliding window of cumulative totals, so they follow the current speed rather than
 * the average since start, and are computed by pure functions tested on their own.
 */
import { SingleBar } from "cli-progress";
import type { Logger } from "./logger";
import type { BatchReport, ReorgReport, SyncObserver } from "./types";

export interface ProgressReporterOptions {
  logger: Logger;
  /** Whether `stream` is a terminal: a bar for a human there, JSON progress lines otherwise. */
  isTTY: boolean;
  /** Where the bar is drawn; stderr by default, so stdout keeps only JSON lines. */
  stream?: NodeJS.WritableStream;
  /** The clock in milliseconds; injected so tests decide when time passes. */
  now?: () => number;
  /** The least time between two progress lines. */
  logIntervalMs?: number;
  /** The span the rates are measured over. */
  windowMs?: number;
}

/** Reports the sync loop's progress; see {@link createProgressReporter}. */
export interface ProgressReporter extends SyncObserver {
  /** Stops the bar (its redraw timer keeps the process alive) on a shutdown before backfill ends; idempotent. */
  stop(): void;
}

/** Cumulative totals at one instant: rates are differences between two samples. */
export interface ProgressSample {
  /** Milliseconds, on the reporter's clock. */
  at: number;
  blocks: number;
  events: number;
}

export interface Throughput {
  blocksPerSecond: number;
  eventsPerSecond: number;
}

const DEFAULT_LOG_INTERVAL_MS = 10_000;
const DEFAULT_WINDOW_MS = 30_000;
const BAR_FORMAT =
  "backfill [{bar}] {percentage}% | {value}/{total} blocks | {blocks_rate} blocks/s | {events_rate} events/s | ETA {remaining}";

/** Adds `sample` and drops those older than the window, keeping the last one before it as the rates' baseline. */
export function slideWindow(
  samples: readonly ProgressSample[],
  sample: ProgressSample,
  windowMs: number,
): ProgressSample[] {
  const next = [...samples, sample];
  const windowStart = sample.at - windowMs;
  let first = 0;
  while (first + 1 < next.length && next[first + 1].at <= windowStart) first++;
  return next.slice(first);
}

/** Rates between the window's oldest and newest samples; null until the window spans some time. */
export function throughputOf(samples: readonly ProgressSample[]): Throughput | null {
  const oldest = samples[0];
  const newest = samples[samples.length - 1];
  const seconds = oldest && newest ? (newest.at - oldest.at) / 1000 : 0;
  if (seconds <= 0) return null;
  return {
    blocksPerSecond: (newest.blocks - oldest.blocks) / seconds,
    eventsPerSecond: (newest.events - oldest.events) / seconds,
  };
}

/** Whole seconds until `remainingBlocks` are done at the current rate; null when no rate is known or it is zero. */
export function etaSecondsOf(remainingBlocks: number, blocksPerSecond: number | null): number | null {
  if (remainingBlocks <= 0) return 0;
  if (!blocksPerSecond || blocksPerSecond <= 0) return null;
  return Math.ceil(remainingBlocks / blocksPerSecond);
}

/** A duration for a human: "42s", "3m 05s", "2h 07m"; "?" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "?";
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(rest)}s`;
  return `${rest}s`;
}

/** Two digits, so "3m 05s" keeps its width as it counts down. */
function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** One decimal is all a reader of the rates needs. */
function roundRate(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 10) / 10;
}

/** What one progress report shows. */
interface ProgressSnapshot {
  indexedBlock: number;
  headBlock: number;
  blocksPerSecond: number | null;
  eventsPerSecond: number | null;
  etaSeconds: number | null;
}

/** Creates the reporter: during backfill a bar (terminal) or a progress line at most every `logIntervalMs`. */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const { logger, isTTY } = options;
  const now = options.now ?? Date.now;
  const logIntervalMs = options.logIntervalMs ?? DEFAULT_LOG_INTERVAL_MS;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const totals = { blocks: 0, events: 0 };
  let samples: ProgressSample[] = [];
  let headBlock: number | null = null;
  let indexedBlock: number | null = null;
  let following = false;
  let lastLoggedAt: number | null = null;
  const bar = createBar(options.stream);

  function onResume(resumedAt: number): void {
    indexedBlock = resumedAt;
  }

  /** The first head seen starts the clock, so the first batch already has a rate. */
  function onHead(head: number): void {
    headBlock = head;
    if (samples.length === 0) samples = [{ at: now(), ...totals }];
  }

  /** Counts the batch into the window; reports only during backfill, since afterwards the metrics suffice. */
  function onBatch(batch: BatchReport): void {
    logger.debug(
      { block_range: [batch.fromBlock, batch.toBlock], events: batch.events, duration_ms: batch.durationMs },
      "batch indexed",
    );
    totals.blocks += batch.toBlock - batch.fromBlock + 1;
    totals.events += batch.events;
    indexedBlock = batch.toBlock;
    samples = slideWindow(samples, { at: now(), ...totals }, windowMs);
    if (following) return;
    const progress = snapshot();
    if (isTTY) bar.draw(progress, batch.fromBlock - 1);
    else logThrottled(progress);
  }

  /** A warning, not an error: reorganizations within the finality depth are expected and handled. */
  function onReorg(reorg: ReorgReport): void {
    indexedBlock = reorg.commonAncestor;
    logger.warn(
      { detected_at: reorg.detectedAt, common_ancestor: reorg.commonAncestor, depth: reorg.depth },
      "chain reorganization rolled back",
    );
  }

  /** Backfill is over: the bar gives way to the single line that marks the change. */
  function onFollowing(): void {
    if (following) return;
    following = true;
    bar.stop();
    logger.info({ head_block: headBlock, indexed_block: indexedBlock }, "following the head");
  }

  /** The head never shows below the indexed block, which it can briefly trail when batches outrun head polls. */
  function snapshot(): ProgressSnapshot {
    const indexed = indexedBlock ?? 0;
    const head = Math.max(headBlock ?? indexed, indexed);
    const throughput = throughputOf(samples);
    const blocksPerSecond = throughput?.blocksPerSecond ?? null;
    return {
      indexedBlock: indexed,
      headBlock: head,
      blocksPerSecond,
      eventsPerSecond: throughput?.eventsPerSecond ?? null,
      etaSeconds: etaSecondsOf(head - indexed, blocksPerSecond),
    };
  }

  /** A line per batch would flood the log during a fast backfill. */
  function logThrottled(progress: ProgressSnapshot): void {
    const at = now();
    if (lastLoggedAt !== null && at - lastLoggedAt < logIntervalMs) return;
    lastLoggedAt = at;
    logger.info(
      {
        indexed_block: progress.indexedBlock,
        head_block: progress.headBlock,
        blocks_per_second: roundRate(progress.blocksPerSecond),
        events_per_second: roundRate(progress.eventsPerSecond),
        eta_seconds: progress.etaSeconds,
      },
      "backfill progress",
    );
  }

  return { onResume, onHead, onBatch, onReorg, onFollowing, stop: bar.stop };
}

/** The terminal bar; created at the first batch, it counts the blocks of this backfill, not of the whole chain. */
interface TerminalBar {
  /** Draws `progress`; `firstBlockBefore` (the block before the first batch) anchors the bar when it starts. */
  draw(progress: ProgressSnapshot, firstBlockBefore: number): void;
  stop(): void;
}

/** The bar is built lazily, so a non-terminal run never creates one. */
function createBar(stream: NodeJS.WritableStream | undefined): TerminalBar {
  let bar: SingleBar | null = null;
  let baseline = 0;

  function draw(progress: ProgressSnapshot, firstBlockBefore: number): void {
    if (!bar) baseline = firstBlockBefore;
    const total = Math.max(0, progress.headBlock - baseline);
    const value = Math.min(total, Math.max(0, progress.indexedBlock - baseline));
    const payload = {
      blocks_rate: formatRate(progress.blocksPerSecond),
      events_rate: formatRate(progress.eventsPerSecond),
      remaining: formatDuration(progress.etaSeconds),
    };
    if (bar) {
      bar.setTotal(total);
      bar.update(value, payload);
      return;
    }
    // linewrap: true leaves the terminal's modes alone, so nothing is left to restore if the process dies mid-bar.
    bar = new SingleBar({ stream, format: BAR_FORMAT, linewrap: true, gracefulExit: false });
    bar.start(total, value, payload);
  }

  function stop(): void {
    bar?.stop();
    bar = null;
  }

  return { draw, stop };
}

/** One decimal, or "?" before the window has a rate. */
function formatRate(rate: number | null): string {
  return rate === null ? "?" : rate.toFixed(1);
}
