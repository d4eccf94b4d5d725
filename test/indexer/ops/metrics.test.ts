import { expect } from "chai";
import type { MetricValueWithName } from "prom-client";
import { createIndexerMetrics } from "../../../indexer/ops/metrics";
import type { IndexerMetrics } from "../../../indexer/ops/metrics";

/**
 * The value of metric `name`'s series with exactly `labels`, as a scrape reads it; for a histogram, `sample` names
 * the series kind (`_count`, `_sum` or `_bucket`).
 */
async function valueOf(
  metrics: IndexerMetrics,
  name: string,
  labels: Record<string, string | number> = {},
  sample = "",
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const values = (await metric.get()).values as MetricValueWithName<string>[];
  const series = values.find(
    (value) => (value.metricName ?? name) === name + sample && JSON.stringify(value.labels) === JSON.stringify(labels),
  );
  if (!series) throw new Error(`no series ${name}${sample}${JSON.stringify(labels)}`);
  return series.value;
}

/** One batch of `events` events over blocks `fromBlock`–`toBlock`. */
function batch(fromBlock: number, toBlock: number, events = 0, undecoded = 0, durationMs = 100) {
  return { fromBlock, toBlock, events, undecoded, durationMs };
}

describe("indexer operations: metrics", function () {
  let metrics: IndexerMetrics;

  beforeEach(function () {
    metrics = createIndexerMetrics();
  });

  describe("position", function () {
    it("should know the indexed block and the lag from the checkpoint it resumed from, before any batch", async function () {
      metrics.onResume(90);
      metrics.onHead(100);
      expect(await valueOf(metrics, "dxl_indexer_indexed_block")).to.equal(90);
      expect(await valueOf(metrics, "dxl_indexer_lag_blocks")).to.equal(10);
    });

    it("should track the head, the indexed block and the lag between them", async function () {
      metrics.onHead(100);
      metrics.onBatch(batch(1, 40));
      expect(await valueOf(metrics, "dxl_indexer_head_block")).to.equal(100);
      expect(await valueOf(metrics, "dxl_indexer_indexed_block")).to.equal(40);
      expect(await valueOf(metrics, "dxl_indexer_lag_blocks")).to.equal(60);
      metrics.onHead(130);
      expect(await valueOf(metrics, "dxl_indexer_lag_blocks")).to.equal(90);
    });

    it("should leave the lag at 0 until both the head and an indexed block are known", async function () {
      metrics.onHead(100);
      expect(await valueOf(metrics, "dxl_indexer_lag_blocks")).to.equal(0);
    });

    it("should move the indexed block back to the common ancestor on a reorganization, and count it", async function () {
      metrics.onHead(60);
      metrics.onBatch(batch(1, 60));
      metrics.onReorg({ detectedAt: 60, commonAncestor: 55, depth: 5 });
      expect(await valueOf(metrics, "dxl_indexer_indexed_block")).to.equal(55);
      expect(await valueOf(metrics, "dxl_indexer_lag_blocks")).to.equal(5);
      expect(await valueOf(metrics, "dxl_indexer_reorgs_total")).to.equal(1);
    });

    it("should report following only once backfill reached the head", async function () {
      metrics.onBatch(batch(1, 10));
      expect(await valueOf(metrics, "dxl_indexer_following")).to.equal(0);
      metrics.onFollowing();
      expect(await valueOf(metrics, "dxl_indexer_following")).to.equal(1);
    });
  });

  describe("counters", function () {
    it("should count batches, events and undecoded events", async function () {
      metrics.onBatch(batch(1, 10, 7, 1));
      metrics.onBatch(batch(11, 20, 5, 2));
      expect(await valueOf(metrics, "dxl_indexer_batches_total")).to.equal(2);
      expect(await valueOf(metrics, "dxl_indexer_events_total")).to.equal(12);
      expect(await valueOf(metrics, "dxl_indexer_undecoded_events_total")).to.equal(3);
    });

    it("should record batch durations in seconds", async function () {
      metrics.onBatch(batch(1, 10, 0, 0, 250));
      metrics.onBatch(batch(11, 20, 0, 0, 1500));
      const duration = (sample: string, labels = {}) =>
        valueOf(metrics, "dxl_indexer_batch_duration_seconds", labels, sample);
      expect(await duration("_count")).to.equal(2);
      expect(await duration("_sum")).to.equal(1.75);
      expect(await duration("_bucket", { le: 0.1 })).to.equal(0);
      expect(await duration("_bucket", { le: 0.25 })).to.equal(1);
      expect(await duration("_bucket", { le: 2.5 })).to.equal(2);
    });

    it("should count RPC errors by method and by whether they are retried", async function () {
      const error = new Error("503 Service Unavailable");
      metrics.onRpcError("eth_getLogs", error, true);
      metrics.onRpcError("eth_getLogs", error, true);
      metrics.onRpcError("eth_getLogs", error, false);
      metrics.onRpcError("eth_blockNumber", error, true);
      const rpcErrors = (labels: Record<string, string>) => valueOf(metrics, "dxl_indexer_rpc_errors_total", labels);
      expect(await rpcErrors({ method: "eth_getLogs", retried: "true" })).to.equal(2);
      expect(await rpcErrors({ method: "eth_getLogs", retried: "false" })).to.equal(1);
      expect(await rpcErrors({ method: "eth_blockNumber", retried: "true" })).to.equal(1);
    });
  });

  describe("registry", function () {
    it("should expose the indexer's and the process' metrics in the Prometheus text format", async function () {
      metrics.onHead(42);
      const text = await metrics.registry.metrics();
      expect(text).to.match(/^dxl_indexer_head_block 42$/m);
      expect(text).to.include("# TYPE dxl_indexer_events_total counter");
      expect(text).to.include("# TYPE dxl_indexer_batch_duration_seconds histogram");
      expect(text).to.include("process_cpu_user_seconds_total");
      expect(text).to.include("nodejs_heap_size_used_bytes");
    });

    it("should keep instances apart, each on its own registry", async function () {
      const other = createIndexerMetrics();
      metrics.onHead(42);
      expect(other.registry).not.to.equal(metrics.registry);
      expect(await valueOf(other, "dxl_indexer_head_block")).to.equal(0);
    });
  });
});
