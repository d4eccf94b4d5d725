/**
 * Prometheus metrics of the indexer, fed by the sync loop's observer calls and the RPC client's fault reports, so
 * neither layer knows prom-client exists.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SyncObserver } from "./types";

/** The indexer's metrics: a {@link SyncObserver} for the sync loop and an RPC observer for the chain layer. */
export interface IndexerMetrics extends SyncObserver {
  /** Its own registry, not prom-client's global one, so several instances (tests, embedders) never collide. */
  readonly registry: Registry;
  /** Counts one failed RPC attempt, labelled by whether the client retries it. */
  onRpcError(method: string, error: Error, willRetry: boolean): void;
}

/** Batch durations span a tiny range of few logs (milliseconds) to a wide range on a slow node (tens of seconds). */
const BATCH_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Creates the metrics on a fresh registry that also carries the default process and Node.js metrics. */
export function createIndexerMetrics(): IndexerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metric = defineMetrics(registry);
  const position: { head: number | null; indexed: number | null } = { head: null, indexed: null };

  /** Lag is only meaningful once both ends are known; a reorg can briefly put the indexed block past the head. */
  function updateLag(): void {
    if (position.head === null || position.indexed === null) return;
    metric.lagBlocks.set(Math.max(0, position.head - position.indexed));
  }

  function setHead(head: number): void {
    position.head = head;
    metric.headBlock.set(head);
    updateLag();
  }

  function setIndexed(indexed: number): void {
    position.indexed = indexed;
    metric.indexedBlock.set(indexed);
    updateLag();
  }

  return {
    registry,
    onResume: setIndexed,
    onHead: setHead,
    onBatch(batch) {
      setIndexed(batch.toBlock);
      metric.events.inc(batch.events);
      metric.undecoded.inc(batch.undecoded);
      metric.batches.inc();
      metric.batchDuration.observe(batch.durationMs / 1000);
    },
    onReorg(reorg) {
      metric.reorgs.inc();
      setIndexed(reorg.commonAncestor);
    },
    onFollowing() {
      metric.following.set(1);
    },
    onRpcError(method, _error, willRetry) {
      metric.rpcErrors.inc({ method, retried: String(willRetry) });
    },
  };
}

/** The indexer's own metrics, registered on `registry`. */
function defineMetrics(registry: Registry) {
  const registers = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  return {
    headBlock: gauge("dxl_indexer_head_block", "The chain head last seen."),
    indexedBlock: gauge("dxl_indexer_indexed_block", "The last block whose events are committed."),
    lagBlocks: gauge("dxl_indexer_lag_blocks", "Head minus indexed block."),
    following: gauge("dxl_indexer_following", "1 once backfill reached the head and the indexer follows it."),
    events: counter("dxl_indexer_events_total", "Events indexed, undecoded ones included."),
    undecoded: counter("dxl_indexer_undecoded_events_total", "Events of watched contracts left undecoded."),
    reorgs: counter("dxl_indexer_reorgs_total", "Chain reorganizations rolled back."),
    batches: counter("dxl_indexer_batches_total", "Batches committed."),
    rpcErrors: new Counter({
      name: "dxl_indexer_rpc_errors_total",
      help: "Failed JSON-RPC attempts, by method and whether they were retried.",
      labelNames: ["method", "retried"] as const,
      registers,
    }),
    batchDuration: new Histogram({
      name: "dxl_indexer_batch_duration_seconds",
      help: "Time to decode and commit one batch.",
      buckets: BATCH_DURATION_BUCKETS,
      registers,
    }),
  };
}
